// Column headers: netstat names, a sort button in each, aria-sort on the sorted one.
import { memo } from 'react';
import { nextSort } from '../state/sort';
import type { SortColumn, SortSpec } from '../state/table-view';
import { SortableHead, type HeadColumn } from './SortableHead';

export const COLUMNS: readonly HeadColumn<SortColumn>[] = [
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

export { nextSort };

export const TableHead = memo(function TableHead(props: {
  sort: SortSpec | null;
  onSort: (column: SortColumn) => void;
}) {
  return <SortableHead columns={COLUMNS} sort={props.sort} onSort={props.onSort} />;
});
