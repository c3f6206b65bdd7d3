// Send bytes on a connection: text, hex or base64, checked here (with the position of the first bad character)
// before anything is sent; "Copy as curl" gives the same REST call for a shell.
import { useId, useRef, useState, type FormEvent } from 'react';
import { decodePayload, describeFramingRule, type FramingRule, type PayloadEncoding } from '../../../shared';
import { send } from '../../api/rest-client';
import { bytes } from '../../format';
import { curlForSend } from '../../state/curl';
import { EMPTY_FRAMING_FORM, formToRule, type FramingForm } from '../../state/framing-form';
import { FramingFields } from './FramingFields';
import { copyText } from './clipboard';
import { Feedback } from './Feedback';
import { useAction } from './use-action';

const ENCODINGS: readonly { id: PayloadEncoding; label: string }[] = [
  { id: 'utf8', label: 'utf8 (text)' },
  { id: 'hex', label: 'hex' },
  { id: 'base64', label: 'base64' },
  { id: 'escaped', label: 'escaped (\\n \\xNN)' },
];

const NAMES: Record<PayloadEncoding, string> = { utf8: 'text', hex: 'hex', base64: 'base64', escaped: 'escaped text' };

type SendFraming = 'none' | 'connection' | 'other';

export function SendForm(props: { id: string; writable: boolean; why: string; framing?: FramingRule | null }) {
  const [data, setData] = useState('');
  const [encoding, setEncoding] = useState<PayloadEncoding>('utf8');
  const [frameWith, setFrameWith] = useState<SendFraming>('none');
  const [otherRule, setOtherRule] = useState<FramingForm>({ ...EMPTY_FRAMING_FORM, preset: 'length-4-be' });
  const [manual, setManual] = useState<string | null>(null);
  const action = useAction();
  const area = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();
  const decoded = decodePayload(data, encoding);
  const own = props.framing ?? null;
  const other = formToRule(otherRule);
  /** The rule to frame with (undefined: send raw), or the reason it cannot be used. */
  const framing: { ok: true; rule: FramingRule | undefined } | { ok: false; message: string } =
    frameWith === 'connection'
      ? own
        ? { ok: true, rule: own }
        : { ok: false, message: 'this connection has no framing rule' }
      : frameWith === 'other'
        ? other.ok
          ? { ok: true, rule: other.rule ?? undefined }
          : { ok: false, message: other.message }
        : { ok: true, rule: undefined };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!props.writable || action.busy) return;
    if (!decoded.ok) {
      action.setNote(null);
      action.setError({ code: 'BAD_PAYLOAD', message: `Bad ${NAMES[encoding]}: ${decoded.message}` });
      const el = area.current;
      el?.focus();
      el?.setSelectionRange(decoded.position, Math.min(data.length, decoded.position + 1));
      return;
    }
    if (!framing.ok) {
      action.setNote(null);
      action.setError({ code: 'BAD_FRAMING', message: `Cannot frame the payload: ${framing.message}` });
      return;
    }
    void action.run('send', async () => {
      const reply = await send(props.id, data, encoding, framing.rule);
      return `Sent ${bytes(reply.bytes)}${reply.queuedBytes ? `, ${bytes(reply.queuedBytes)} still queued in sockscope` : ''}.`;
    });
  };

  const copyCurl = async () => {
    const text = curlForSend(window.location.origin, props.id, data, encoding, framing.ok ? framing.rule : undefined);
    const ok = await copyText(text);
    setManual(ok ? null : text);
    action.setError(null);
    action.setNote(ok ? 'Copied the curl command (set SOCKSCOPE_TOKEN to the token first).' : null);
  };

  return (
    <form className="dt-send" onSubmit={submit}>
      <textarea
        ref={area}
        aria-label="Payload"
        className="mono"
        rows={2}
        spellCheck={false}
        placeholder={encoding === 'hex' ? '68 65 6c 6c 6f 0d 0a' : encoding === 'base64' ? 'aGVsbG8NCg==' : 'hello'}
        value={data}
        aria-invalid={!decoded.ok}
        aria-describedby={action.error ? errorId : undefined}
        onChange={(e) => {
          setData(e.target.value);
          action.setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
        }}
      />
      <div className="dt-send-row">
        <select aria-label="Encoding" value={encoding} onChange={(e) => setEncoding(e.target.value as PayloadEncoding)}>
          {ENCODINGS.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        <span className="muted dt-size">{decoded.ok ? bytes(decoded.bytes.length) : `invalid ${NAMES[encoding]}`}</span>
        <button
          type="submit"
          disabled={!props.writable || action.busy !== null}
          title={props.writable ? 'Ctrl+Enter' : props.why}
        >
          Send
        </button>
        <button type="button" onClick={() => void copyCurl()}>
          Copy as curl
        </button>
      </div>
      <div className="dt-send-row">
        <select
          aria-label="Send framing"
          value={frameWith}
          onChange={(e) => {
            setFrameWith(e.target.value as SendFraming);
            action.setError(null);
          }}
        >
          <option value="none">send raw (no framing)</option>
          <option value="connection" disabled={!own}>
            {own
              ? `frame with the connection's rule (${describeFramingRule(own)})`
              : "frame with the connection's rule (none set)"}
          </option>
          <option value="other">frame with another rule</option>
        </select>
        {frameWith === 'other' && <FramingFields form={otherRule} onChange={setOtherRule} label="Send framing rule" />}
      </div>
      <Feedback error={action.error} note={action.note} id={errorId} />
      {manual && (
        <textarea
          readOnly
          className="mono dt-manual"
          aria-label="Copy this command"
          value={manual}
          onFocus={(e) => e.target.select()}
        />
      )}
    </form>
  );
}
