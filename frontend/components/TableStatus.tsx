// The line under the table: how many rows match, the sort, and the keys.
import { COLUMNS } from './TableHead';
import type { SortSpec, TableView } from '../state/table-view';

const n = (x: number) => x.toLocaleString('en-US');

export function TableStatus(props: { view: TableView; sort: SortSpec | null }) {
  const { view, sort } = props;
  const label = sort ? COLUMNS.find((c) => c.id === sort.column)?.label : null;
  return (
    <div className="table-status">
      <span>
        {view.matching === view.total ? `${n(view.total)} rows` : `${n(view.matching)} of ${n(view.total)} rows match`}
      </span>
      <span>{label ? `sorted by ${label} ${sort?.direction === 'asc' ? '▲' : '▼'}` : 'in creation order'}</span>
      <span className="keys" aria-hidden="true">
        <kbd>↑</kbd>
        <kbd>↓</kbd> move · <kbd>←</kbd>
        <kbd>→</kbd> fold · <kbd>Enter</kbd> detail · <kbd>Esc</kbd> back · <kbd>/</kbd> filter
      </span>
    </div>
  );
}
