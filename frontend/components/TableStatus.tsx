// The line under the table: how many rows match, the sort, and the keys.
import { memo } from 'react';
import { plural } from '../format';
import { COLUMNS } from './TableHead';
import type { SortSpec } from '../state/table-view';

const n = new Intl.NumberFormat('en-US').format;

/** Takes the counts, not the view: it re-renders when they change, not on every frame. */
export const TableStatus = memo(function TableStatus(props: {
  matching: number;
  total: number;
  sort: SortSpec | null;
}) {
  const { matching, total, sort } = props;
  const label = sort ? COLUMNS.find((c) => c.id === sort.column)?.label : null;
  return (
    <div className="table-status">
      <span>
        {matching === total
          ? plural(total, 'row')
          : `${n(matching)} of ${plural(total, 'row')} ${matching === 1 ? 'matches' : 'match'}`}
      </span>
      <span>{label ? `sorted by ${label} ${sort?.direction === 'asc' ? '▲' : '▼'}` : 'in creation order'}</span>
      <span className="keys" aria-hidden="true">
        <kbd>↑</kbd>
        <kbd>↓</kbd> move · <kbd>←</kbd>
        <kbd>→</kbd> fold · <kbd>Enter</kbd> detail · <kbd>Esc</kbd> back · <kbd>/</kbd> filter
      </span>
    </div>
  );
});
