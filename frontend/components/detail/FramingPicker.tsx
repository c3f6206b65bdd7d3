// Sets a connection's or listener's framing rule (PUT .../framing). Shows the rule in force, live: a rule set
// elsewhere (a script, another tab) arrives as a config event and shows here; the fields follow it until edited.
import { useId, useState, type FormEvent } from 'react';
import type { FramingRule } from '../../../shared';
import { setFraming, type SocketKind } from '../../api/client';
import { framingText } from '../../state/config-text';
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
  const current = framingText(props.current);
  const [form, setForm] = useState<FramingForm>(() => ruleToForm(props.current));
  const [edited, setEdited] = useState(false);
  const [shown, setShown] = useState(current);
  if (shown !== current) {
    // A new rule in force: untouched fields take it (edits in progress are the user's).
    setShown(current);
    if (!edited) setForm(ruleToForm(props.current));
  }
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
      setEdited(false);
      props.onApplied?.(rule);
      return rule ? `Framing: ${framingText(rule)}.` : 'Framing removed.';
    });
  };

  return (
    <form className="fr-picker" aria-label="Framing rule" onSubmit={submit}>
      <h3>Framing</h3>
      <p className="muted" aria-label="Framing in force">
        {current}
        {props.kind === 'listeners' && ' — inherited by connections accepted from now on'}
      </p>
      <div className="dt-send-row">
        <FramingFields
          form={form}
          onChange={(f) => {
            setForm(f);
            setEdited(true);
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
