// Column headers: netstat names, a sort button in each, aria-sort on the sorted one.
import { memo } from 'react';
import type { SortColumn, SortSpec } from '../state/table-view';

interface Column {
  readonly id: SortColumn;
  readonly label: string;
  readonly title?: string;
  readonly num?: boolean;
}

export const COLUMNS: readonly Column[] = [
  { id: 'id', label: 'Id', title: 'sockscope id, as in the REST API (l- listener, c- connection)' },
  { id: 'proto', label: 'Proto' },
  { id: 'local', label: 'Local Address' },
  { id: 'remote', label: 'Foreign Address', title: 'Peer address; → target while a client is still connecting' },
  { id: 'state', label: 'State', title: 'App state · kernel TCP state (from /proc/net/tcp, when known)' },
  {
    id: 'recvq',
    label: 'Recv-Q',
    num: true,
    title: 'Kernel: bytes received, not yet read by sockscope (listener: connections waiting to be accepted)',
  },
  {
    id: 'sendq',
    label: 'Send-Q',
    num: true,
    title: 'Kernel: bytes sent, not yet acknowledged by the peer (listener: backlog)',
  },
  { id: 'in', label: 'Bytes in', num: true, title: 'Bytes read from the socket' },
  { id: 'out', label: 'Bytes out', num: true, title: 'Bytes written to the socket' },
  { id: 'age', label: 'Age', num: true, title: 'Time since opened; lifetime once closed' },
  { id: 'role', label: 'Role', title: 'listener, accepted (returned by accept()) or client (we dialled)' },
  { id: 'errno', label: 'Errno' },
];

const ariaSort = (sort: SortSpec | null, column: SortColumn) =>
  sort?.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;

/** asc, desc, then back to creation order. */
export function nextSort(sort: SortSpec | null, column: SortColumn): SortSpec | null {
  if (sort?.column !== column) return { column, direction: 'asc' };
  return sort.direction === 'asc' ? { column, direction: 'desc' } : null;
}

export const TableHead = memo(function TableHead(props: {
  sort: SortSpec | null;
  onSort: (column: SortColumn) => void;
}) {
  const { sort } = props;
  return (
    <thead>
      <tr>
        {COLUMNS.map((c) => (
          <th
            key={c.id}
            scope="col"
            data-col={c.id}
            aria-sort={ariaSort(sort, c.id)}
            className={c.num ? 'num' : undefined}
            title={c.title}
          >
            <button type="button" onClick={() => props.onSort(c.id)}>
              {c.label}
              <span className="sort-mark" aria-hidden="true">
                {sort?.column === c.id ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
              </span>
            </button>
          </th>
        ))}
      </tr>
    </thead>
  );
});
