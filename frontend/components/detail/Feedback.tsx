// Inline outcome of an action: the API's error code and message (role=alert) or a short note (role=status).
import type { ActionError } from './use-action';

export function Feedback(props: { error: ActionError | null; note?: string | null; id?: string }) {
  return (
    <>
      {props.error && (
        <p className="dt-error" role="alert" id={props.id}>
          <code>{props.error.code}</code> {props.error.message}
        </p>
      )}
      <p className="dt-ok" role="status">
        {props.note ?? ''}
      </p>
    </>
  );
}
