// History loading state: a quiet note while loading, an inline error with Retry when REST failed.
import type { DetailModel } from '../../state/detail-model';

export function LoadStatus(props: { model: DetailModel }) {
  const { model } = props;
  if (model.phase === 'loading') return <p className="dt-loading muted">Loading history…</p>;
  if (!model.error) return null;
  return (
    <p className="dt-error" role="alert">
      {model.phase === 'failed' ? 'Could not load the history: ' : ''}
      {model.error}{' '}
      <button type="button" className="linkish" onClick={() => void model.retry()}>
        Retry
      </button>
    </p>
  );
}
