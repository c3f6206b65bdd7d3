// Send bytes on a connection: text, hex, base64 or an attached file, checked here (with the position of the first
// bad character) before anything is sent; options cut it into writes and repeat it; "Copy as curl" gives the same call.
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { decodePayload, type FramingRule, type PayloadEncoding } from '../../../shared';
import { api } from '../../api/client';
import { bytes } from '../../format';
import { curlForSend, curlForSendFile } from '../../state/curl';
import { EMPTY_FRAMING_FORM, type FramingForm } from '../../state/framing-form';
import { EMPTY_SEND_OPTIONS, sentNote, type SendOptionsForm } from '../../state/send-options';
import { AttachButton, FileChip } from './AttachFile';
import { SendFramingRow } from './SendFramingRow';
import { SendOptions } from './SendOptions';
import { copyText } from './clipboard';
import { Feedback } from './Feedback';
import { useAction } from './use-action';
import { useAttachedFile } from './use-attached-file';
import { chooseFraming, useSendPlan, type SendFraming } from './use-send-plan';
import './send.css';

const ENCODINGS: readonly { id: PayloadEncoding; label: string }[] = [
  { id: 'utf8', label: 'utf8 (text)' },
  { id: 'hex', label: 'hex' },
  { id: 'base64', label: 'base64' },
  { id: 'escaped', label: 'escaped (\\n \\xNN)' },
];

const NAMES: Record<PayloadEncoding, string> = { utf8: 'text', hex: 'hex', base64: 'base64', escaped: 'escaped text' };

export function SendForm(props: { id: string; writable: boolean; why: string; framing?: FramingRule | null }) {
  const [data, setData] = useState('');
  const [encoding, setEncoding] = useState<PayloadEncoding>('utf8');
  const [frameWith, setFrameWith] = useState<SendFraming>('none');
  const [otherRule, setOtherRule] = useState<FramingForm>({ ...EMPTY_FRAMING_FORM, preset: 'length-4-be' });
  const [optionsForm, setOptionsForm] = useState<SendOptionsForm>(EMPTY_SEND_OPTIONS);
  const [optionsOpen, setOptionsOpen] = useState(false);
  const [manual, setManual] = useState<string | null>(null);
  const action = useAction();
  const attached = useAttachedFile();
  const file = attached.file;
  const area = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();
  const decoded = useMemo(() => decodePayload(data, encoding), [data, encoding]);
  const own = props.framing ?? null;
  const framing = chooseFraming(frameWith, own, otherRule);
  const payload = file ? file.bytes : decoded.ok ? decoded.bytes : null;
  const { plan, problem, extras } = useSendPlan(payload, framing, optionsForm);

  const fail = (code: string, message: string) => {
    action.setNote(null);
    action.setError({ code, message });
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!props.writable || action.busy || attached.reading) return;
    if (!file && !decoded.ok) {
      fail('BAD_PAYLOAD', `Bad ${NAMES[encoding]}: ${decoded.message}`);
      const el = area.current;
      el?.focus();
      el?.setSelectionRange(decoded.position, Math.min(data.length, decoded.position + 1));
      return;
    }
    if (!framing.ok) return fail('BAD_FRAMING', `Cannot frame the payload: ${framing.message}`);
    if (problem) {
      // The message already stands next to its field, inside the disclosure.
      action.setNote(null);
      return setOptionsOpen(true);
    }
    const planned = plan?.ok ? plan.writes : undefined;
    void action.run('send', async () => {
      const reply = file
        ? await api.send(props.id, { data: file.base64, encoding: 'base64', ...extras })
        : await api.send(props.id, { data, encoding, ...extras });
      return sentNote(reply, bytes, planned);
    });
  };

  const onFile = async (f: File) => {
    action.setError(null);
    action.setNote(null);
    const why = await attached.attach(f);
    if (why) action.setError(why);
  };

  const copyCurl = async () => {
    const origin = window.location.origin;
    const text = file
      ? curlForSendFile(origin, props.id, file.name, extras)
      : curlForSend(origin, props.id, data, encoding, extras);
    const ok = await copyText(text);
    setManual(ok ? null : text);
    action.setError(null);
    action.setNote(
      ok
        ? `Copied the curl command (${file ? `run it where ${file.name} is; ` : ''}set SOCKSCOPE_TOKEN to the token first).`
        : null,
    );
  };

  const sending = action.busy === 'send';
  return (
    <form className="dt-send" onSubmit={submit} aria-busy={sending || undefined}>
      {file ? (
        <FileChip file={file} onRemove={attached.remove} />
      ) : (
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
      )}
      <div className="dt-send-row">
        <select
          aria-label="Encoding"
          value={file ? 'base64' : encoding}
          disabled={file !== null}
          title={file ? 'An attached file is sent as base64' : undefined}
          onChange={(e) => setEncoding(e.target.value as PayloadEncoding)}
        >
          {ENCODINGS.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        <span className="muted dt-size">
          {attached.reading
            ? `reading ${attached.reading}…`
            : file
              ? bytes(file.size)
              : decoded.ok
                ? bytes(decoded.bytes.length)
                : `invalid ${NAMES[encoding]}`}
        </span>
        <button
          type="submit"
          disabled={!props.writable || action.busy !== null || attached.reading !== null}
          aria-busy={sending || undefined}
          title={props.writable ? 'Ctrl+Enter' : props.why}
        >
          {sending ? 'Sending…' : 'Send'}
        </button>
        <button type="button" onClick={() => void copyCurl()}>
          Copy as curl
        </button>
        {!file && <AttachButton onFile={(f) => void onFile(f)} describedBy={action.error ? errorId : undefined} />}
      </div>
      <SendFramingRow
        value={frameWith}
        onChange={(v) => {
          setFrameWith(v);
          action.setError(null);
        }}
        own={own}
        other={otherRule}
        onOther={setOtherRule}
      />
      <SendOptions
        form={optionsForm}
        onChange={(f) => {
          setOptionsForm(f);
          action.setError(null);
        }}
        problem={problem}
        preview={plan?.ok ? plan.text : null}
        open={optionsOpen}
        onToggle={setOptionsOpen}
      />
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
