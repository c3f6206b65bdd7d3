// Sets a connection's or listener's framing rule (PUT .../framing); the reply row is the truth shown afterwards.
import { useId, useState, type FormEvent } from 'react';
import { describeFramingRule, type FramingRule } from '../../../shared';
import { setFraming, type SocketKind } from '../../api/rest-client';
import { formToRule, ruleToForm, type FramingField, type FramingForm } from '../../state/framing-form';
import { FramingFields } from './FramingFields';
import { Feedback } from './Feedback';
import { useAction } from './use-action';

export function FramingPicker(props: {
  kind: SocketKind;
  id: string;
  current: FramingRule | null | undefined;
  onApplied?: (rule: FramingRule | null) => void;
}) {
  const [applied, setApplied] = useState<FramingRule | null>(props.current ?? null);
  const [form, setForm] = useState<FramingForm>(() => ruleToForm(props.current));
  const [problem, setProblem] = useState<{ field: FramingField; message: string } | null>(null);
  const action = useAction();
  const errorId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const r = formToRule(form);
    if (!r.ok) {
      setProblem({ field: r.field, message: r.message });
      return;
    }
    setProblem(null);
    void action.run('framing', async () => {
      const row = await setFraming(props.kind, props.id, r.rule);
      const rule = row.framing ?? null;
      setApplied(rule);
      props.onApplied?.(rule);
      return rule ? `Framing: ${describeFramingRule(rule)}.` : 'Framing removed.';
    });
  };

  return (
    <form className="fr-picker" aria-label="Framing rule" onSubmit={submit}>
      <h3>Framing</h3>
      <p className="muted">
        {applied ? describeFramingRule(applied) : 'none'}
        {props.kind === 'listeners' && ' — inherited by connections accepted from now on'}
      </p>
      <div className="dt-send-row">
        <FramingFields
          form={form}
          onChange={(f) => {
            setForm(f);
            setProblem(null);
          }}
          problem={problem ? { field: problem.field, id: errorId } : null}
        />
        <button type="submit" disabled={action.busy !== null}>
          Apply framing
        </button>
      </div>
      {problem && (
        <p className="dt-error" role="alert" id={errorId}>
          <code>BAD_FRAMING</code> {problem.message}
        </p>
      )}
      <Feedback error={action.error} note={action.note} />
    </form>
  );
}
