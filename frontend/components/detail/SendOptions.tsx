// The send form's "Options" disclosure: cut the payload into N writes or K-byte chunks with a delay, repeat it, and
// the plan preview; a bad value is reported next to its field.
import { useId } from 'react';
import type { SendOptionsField, SendOptionsForm, OptionsProblem, SplitMode } from '../../state/send-options';

const MODES: readonly { id: SplitMode; label: string }[] = [
  { id: 'one', label: 'one write' },
  { id: 'writes', label: 'N writes' },
  { id: 'chunk', label: 'chunks of K bytes' },
];

export function SendOptions(props: {
  form: SendOptionsForm;
  onChange: (form: SendOptionsForm) => void;
  problem: OptionsProblem | null;
  /** describePlan() of the payload as it would be sent; null when it cannot be worked out. */
  preview: string | null;
  open: boolean;
  onToggle: (open: boolean) => void;
}) {
  const { form, problem } = props;
  const base = useId();
  const errId = `${base}-err`;
  const set = (patch: Partial<SendOptionsForm>) => props.onChange({ ...form, ...patch });
  const described = (field: SendOptionsField) =>
    problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': errId } : {};
  const alertAfter = (fields: SendOptionsField[]) =>
    problem && fields.includes(problem.field) ? (
      <p className="dt-error" role="alert" id={errId}>
        <code>BAD_OPTION</code> {problem.message}
      </p>
    ) : null;
  const number = (field: SendOptionsField, label: string, disabled = false, title?: string) => (
    <>
      <label htmlFor={`${base}-${field}`} title={title}>
        {label}
      </label>
      <input
        id={`${base}-${field}`}
        className="fr-num"
        inputMode="numeric"
        value={form[field]}
        disabled={disabled}
        onChange={(e) => set({ [field]: e.target.value })}
        {...described(field)}
      />
    </>
  );
  const active = form.mode !== 'one' || form.repeat.trim() !== '1';
  return (
    <details className="dt-send-options" open={props.open} onToggle={(e) => props.onToggle(e.currentTarget.open)}>
      <summary>
        Options
        {active && !props.open && <span className="muted"> · {props.preview ?? 'split or repeat set'}</span>}
      </summary>
      <div className="dt-send-row">
        <label htmlFor={`${base}-mode`}>Split</label>
        <select id={`${base}-mode`} value={form.mode} onChange={(e) => set({ mode: e.target.value as SplitMode })}>
          {MODES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
        {form.mode !== 'one' && (
          <>
            {number('size', form.mode === 'writes' ? 'Writes' : 'Bytes per write')}
            {number('delayMs', 'Delay (ms)', false, 'Pause between two writes')}
          </>
        )}
      </div>
      {alertAfter(['size', 'delayMs'])}
      <div className="dt-send-row">
        {number('repeat', 'Repeat count')}
        {number('intervalMs', 'Interval (ms)', form.repeat.trim() === '1', 'Pause between two repetitions')}
      </div>
      {alertAfter(['repeat', 'intervalMs'])}
      <output className="muted dt-plan" aria-label="Send plan">
        {props.preview ?? ''}
      </output>
    </details>
  );
}
