// One labelled control with its hint and its problem; the problem is an alert the control points to.
import { useId, type ReactNode } from 'react';
import type { FieldProblem } from './server-errors';

export function Problem({ id, problem }: { id?: string; problem: FieldProblem }) {
  const explanation = problem.fault?.explanation;
  return (
    <div id={id} role="alert" className="ssf-problem">
      <span>{problem.message}</span>
      {explanation && (
        <span className="ssf-explain">
          <span>
            <b>Cause:</b> {explanation.cause}
          </span>
          <span>
            <b>Fix:</b> {explanation.fix}
          </span>
        </span>
      )}
    </div>
  );
}

interface FieldProps {
  label: string;
  hint?: ReactNode;
  /** A warning that is not an error (the form still submits). */
  warning?: ReactNode;
  problem?: FieldProblem | undefined;
  className?: string;
  control: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
  /** Checkboxes put the label after the box. */
  inline?: boolean;
}

export function Field({ label, hint, warning, problem, className, control, inline = false }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', warning ? `${id}-warn` : '', problem ? `${id}-problem` : '']
    .filter(Boolean)
    .join(' ');
  const a11y = { id, 'aria-invalid': problem !== undefined, ...(described ? { 'aria-describedby': described } : {}) };
  return (
    <div className={`ssf-field${inline ? ' ssf-inline' : ''}${className ? ` ${className}` : ''}`}>
      {inline && control(a11y)}
      <label htmlFor={id}>{label}</label>
      {!inline && control(a11y)}
      {hint && (
        <small id={`${id}-hint`} className="ssf-hint">
          {hint}
        </small>
      )}
      {warning && (
        <small id={`${id}-warn`} className="ssf-warning">
          {warning}
        </small>
      )}
      {problem && <Problem id={`${id}-problem`} problem={problem} />}
    </div>
  );
}

/** The submit button, a problem that concerns the whole form (a limit, no reply), and what was created. */
export function FormActions(props: {
  label: string;
  pending: boolean;
  problem: FieldProblem | null;
  /** What was made; a node when it follows the made thing live. */
  done: ReactNode;
}) {
  const id = useId();
  return (
    <div className="ssf-actions">
      <button
        type="submit"
        disabled={props.pending}
        aria-busy={props.pending}
        {...(props.problem ? { 'aria-describedby': `${id}-problem` } : {})}
      >
        {props.label}
      </button>
      {props.problem && <Problem id={`${id}-problem`} problem={props.problem} />}
      <output className="ssf-done" aria-live="polite">
        {props.done}
      </output>
    </div>
  );
}
