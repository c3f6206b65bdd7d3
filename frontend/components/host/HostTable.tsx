// The host's TCP table: a real <table>, virtualized like the connections table (fixed row height, two spacer rows).
// sockscope's own sockets carry their id as a button that shows them in the connections table.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import type { HostSocket } from '../../../shared';
import { endpoint } from '../../format';
import type { HostItem, HostSortColumn, HostSortSpec } from '../../state/host-view';
import { HEAD_H, ROW_H } from '../ConnectionTable';
import { Flash } from '../Flash';
import { SortableHead, type HeadColumn } from '../SortableHead';

export const HOST_COLUMNS: readonly HeadColumn<HostSortColumn>[] = [
  { id: 'proto', label: 'Proto' },
  { id: 'state', label: 'State', title: 'Kernel TCP state' },
  {
    id: 'recvq',
    label: 'Recv-Q',
    num: true,
    title: 'Bytes received, not yet read by the owner (LISTEN: connections waiting to be accepted)',
  },
  {
    id: 'sendq',
    label: 'Send-Q',
    num: true,
    title: "Bytes sent, not yet acknowledged (LISTEN: the backlog, known only for sockscope's own listeners)",
  },
  { id: 'local', label: 'Local Address' },
  { id: 'remote', label: 'Peer Address' },
  { id: 'uid', label: 'uid', num: true },
  { id: 'inode', label: 'inode', num: true, title: '0 once no process holds the socket (TIME_WAIT)' },
  { id: 'process', label: 'Process', title: "pid/name, from /proc/PID/fd (other users' sockets need root)" },
  { id: 'owner', label: 'sockscope', title: "sockscope's own listener or connection: click to show it" },
];

function Queue(props: { col: 'recvq' | 'sendq'; value: number }) {
  return (
    <td data-col={props.col} className={props.value === 0 ? 'num zero' : 'num'}>
      <Flash value={props.value}>{props.value}</Flash>
    </td>
  );
}

const HostRow = memo(function HostRow(props: { socket: HostSocket; index: number }) {
  const s = props.socket;
  const process = s.pid === null ? null : `${s.pid}/${s.process ?? '?'}`;
  return (
    <tr
      className={s.ownerId ? 'row own' : 'row'}
      data-state={s.state}
      data-owner={s.ownerId ?? undefined}
      aria-rowindex={props.index + 2}
    >
      <td data-col="proto" className="mono">
        {s.proto}
      </td>
      <td data-col="state" className={`mono tcp-${s.state}`}>
        <Flash value={s.state}>{s.state}</Flash>
      </td>
      <Queue col="recvq" value={s.recvQ} />
      <Queue col="sendq" value={s.sendQ} />
      <td data-col="local" className="mono" title={endpoint(s.local)}>
        {endpoint(s.local)}
      </td>
      <td data-col="remote" className="mono" title={endpoint(s.remote)}>
        {endpoint(s.remote)}
      </td>
      <td data-col="uid" className="num">
        {s.uid}
      </td>
      <td data-col="inode" className={s.inode === 0 ? 'num zero' : 'num'}>
        {s.inode}
      </td>
      <td data-col="process" className="mono" title={process ?? 'Unknown: no process of ours can see its fd'}>
        {process ?? <span className="muted">—</span>}
      </td>
      <td data-col="owner">
        {s.ownerId && (
          <button
            type="button"
            className="own-link mono"
            data-owner={s.ownerId}
            title={`Show ${s.ownerId} in Connections`}
          >
            {s.ownerId}
          </button>
        )}
      </td>
    </tr>
  );
});

export function HostTable(props: {
  items: readonly HostItem[];
  sort: HostSortSpec | null;
  onSort: (column: HostSortColumn) => void;
  /** A click on an owned socket's id. */
  onOwner: (id: string) => void;
  empty: string;
}) {
  const { items } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 10,
    paddingStart: HEAD_H,
    scrollPaddingStart: HEAD_H,
    useFlushSync: false,
  });
  const windowed = virtualizer.getVirtualItems();
  const first = windowed[0];
  const last = windowed[windowed.length - 1];
  const top = first ? first.start - HEAD_H : 0;
  const bottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const span = HOST_COLUMNS.length;
  return (
    <div className="table-scroll" ref={scrollRef}>
      <table aria-label="Host sockets" aria-rowcount={items.length + 1} className="connections host-table">
        <colgroup>
          {HOST_COLUMNS.map((c) => (
            <col key={c.id} className={`hw-${c.id}`} />
          ))}
        </colgroup>
        <SortableHead columns={HOST_COLUMNS} sort={props.sort} onSort={props.onSort} />
        <tbody
          onClick={(e) => {
            const id = (e.target as HTMLElement).closest<HTMLElement>('button[data-owner]')?.dataset.owner;
            if (id) props.onOwner(id);
          }}
        >
          {top > 0 && <Spacer height={top} span={span} />}
          {windowed.map((v) => {
            const item = items[v.index];
            return item ? <HostRow key={item.key} socket={item.socket} index={v.index} /> : null;
          })}
          {bottom > 0 && <Spacer height={bottom} span={span} />}
          {items.length === 0 && (
            <tr className="empty">
              <td colSpan={span}>{props.empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function Spacer(props: { height: number; span: number }) {
  return (
    <tr className="spacer" aria-hidden="true" style={{ height: props.height }}>
      <td colSpan={props.span} />
    </tr>
  );
}
