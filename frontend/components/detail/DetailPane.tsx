// The detail pane for the selected row: a connection (timeline, bytes, actions) or a listener.
import { useCallback, useState } from 'react';
import type { Store, UiState } from '../../state/store';
import { useUi } from '../../state/store';
import { ConnectionDetail, type DetailTab } from './ConnectionDetail';
import { ListenerDetail } from './ListenerDetail';
import { useDetailModel } from './use-detail-model';
import './detail.css';

export function DetailPane(props: { store: Store; id: string | null }) {
  const { store, id } = props;
  // The chosen tab outlives the selection: stepping through rows keeps showing their Hex, say.
  const [tab, setTab] = useState<DetailTab>('timeline');
  const { model, version } = useDetailModel(store, id);
  const select = useCallback(
    (s: UiState) => (id === null ? null : (s.table.connections.get(id) ?? s.table.listeners.get(id) ?? null)),
    [id],
  );
  const row = useUi(store, select);
  if (id === null)
    return (
      <div className="detail-pane detail-empty">
        <p>Select a row (↑/↓, Enter)</p>
      </div>
    );
  if (row === null)
    return (
      <div className="detail-pane detail-empty">
        <p>
          <span className="mono">{id}</span> is not in the table: it was cleared, or the server no longer keeps it.
        </p>
      </div>
    );
  if ('kind' in row)
    return <ConnectionDetail row={row} store={store} model={model} version={version} tab={tab} onTab={setTab} />;
  return <ListenerDetail row={row} store={store} model={model} version={version} />;
}
