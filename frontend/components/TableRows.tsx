// One <tr> per listener or connection, memoised: the fold replaces only changed rows, so only those re-render, and
// within a row only the cells whose values changed. Clicks and keys are handled once on the <tbody>
// (ConnectionTable), so rows take no callbacks.
import { memo } from 'react';
import type { ConnectionRow, Endpoint, Fault, ListenerRow } from '../../shared';
import { bytes, endpoint, plural } from '../format';
import { protoOf } from '../state/table-view';
import { AgeCell } from './AgeCell';
import { FaultBadge } from './FaultBadge';
import { Flash } from './Flash';
import { StateCell } from './StateCell';

interface Common {
  index: number;
  selected: boolean;
  /** The one row Tab lands on (roving tabindex). */
  tabbable: boolean;
}

const rowClass = (terminal: boolean, selected: boolean, extra = '') =>
  ['row', terminal ? 'terminal' : '', selected ? 'selected' : '', extra].filter(Boolean).join(' ');

const Queue = memo(function Queue(props: { col: 'recvq' | 'sendq'; value: number | null }) {
  return (
    <td data-col={props.col} className={props.value === 0 ? 'num zero' : 'num'}>
      {props.value === null ? null : <Flash value={props.value}>{props.value}</Flash>}
    </td>
  );
});

const Bytes = memo(function Bytes(props: { col: 'in' | 'out'; n: number; chunks: number }) {
  const title = `${plural(props.n, 'byte')} in ${plural(props.chunks, props.col === 'in' ? 'read' : 'write')}`;
  return (
    <td data-col={props.col} className={props.n === 0 ? 'num zero' : 'num'} title={title}>
      <Flash value={props.n}>{bytes(props.n)}</Flash>
    </td>
  );
});

const ErrnoCell = memo(function ErrnoCell(props: { fault: Fault | null }) {
  return (
    <td data-col="errno">
      <FaultBadge fault={props.fault} />
    </td>
  );
});

export const ListenerRowView = memo(function ListenerRowView(
  props: Common & { row: ListenerRow; expanded: boolean; childCount: number; context: boolean },
) {
  const { row, expanded } = props;
  const terminal = row.state !== 'listening';
  return (
    <tr
      data-id={row.id}
      data-state={row.state}
      data-index={props.index}
      aria-rowindex={props.index + 2}
      aria-selected={props.selected}
      tabIndex={props.tabbable ? 0 : -1}
      className={rowClass(terminal, props.selected, props.context ? 'listener context' : 'listener')}
    >
      <td data-col="id" className="mono">
        <button
          type="button"
          className="toggle"
          data-toggle={row.id}
          aria-expanded={expanded}
          aria-label={`${expanded ? 'Collapse' : 'Expand'} ${row.id}`}
          title={plural(props.childCount, 'accepted connection')}
          tabIndex={-1}
        >
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
        </button>
        {row.id}
        {props.childCount > 0 && <span className="count">{props.childCount}</span>}
      </td>
      <td data-col="proto" className="mono">
        {protoOf(row)}
      </td>
      <td data-col="local" className="mono" title={endpoint(row.local)}>
        {endpoint(row.local)}
        {row.exposed && (
          <span
            className="tag tag-warn"
            title="Bound to a wildcard or non-loopback address: reachable from other hosts"
          >
            exposed
          </span>
        )}
      </td>
      <td data-col="remote" className="mono muted">
        *:*
      </td>
      <StateCell state={row.state} tcpState={row.tcpState} />
      <Queue col="recvq" value={row.recvQ} />
      <Queue col="sendq" value={row.sendQ} />
      <td data-col="in" className="num" />
      <td data-col="out" className="num" />
      <AgeCell createdAt={row.createdAt} closedAt={row.closedAt} />
      <td data-col="role" title={`accept mode ${row.accept}, backlog ${row.backlog}, ${row.accepted} accepted`}>
        listener{row.accept !== 'read' && <span className="tag">{row.accept}</span>}
      </td>
      <ErrnoCell fault={row.fault} />
    </tr>
  );
});

const RemoteCell = memo(function RemoteCell({ remote, target }: { remote: Endpoint | null; target: Endpoint | null }) {
  return (
    <td data-col="remote" className="mono" title={endpoint(remote ?? target)}>
      {remote ? (
        endpoint(remote)
      ) : target ? (
        <span className="muted">→ {endpoint(target)}</span>
      ) : (
        <span className="muted">—</span>
      )}
    </td>
  );
});

export const ConnectionRowView = memo(function ConnectionRowView(
  props: Common & { row: ConnectionRow; depth: 0 | 1; orphan: boolean },
) {
  const { row } = props;
  const terminal = row.state === 'closed' || row.state === 'failed';
  const retrying = row.kind === 'client' && row.attempts > 1 && row.state === 'connecting';
  return (
    <tr
      data-id={row.id}
      data-state={row.state}
      data-index={props.index}
      aria-rowindex={props.index + 2}
      aria-selected={props.selected}
      tabIndex={props.tabbable ? 0 : -1}
      className={rowClass(terminal, props.selected, props.depth ? 'child' : '')}
    >
      <td data-col="id" className="mono">
        {props.depth === 1 && (
          <span className="branch" aria-hidden="true">
            └
          </span>
        )}
        {row.id}
      </td>
      <td data-col="proto" className="mono">
        {protoOf(row)}
      </td>
      <td data-col="local" className="mono" title={row.local ? endpoint(row.local) : undefined}>
        {row.local ? endpoint(row.local) : <span className="muted">—</span>}
      </td>
      <RemoteCell remote={row.remote} target={row.target} />
      <StateCell
        state={row.state}
        tcpState={row.tcpState}
        attempt={retrying ? `try ${row.attempt}/${row.attempts}` : undefined}
        paused={row.paused}
      />
      <Queue col="recvq" value={row.recvQ} />
      <Queue col="sendq" value={row.sendQ} />
      <Bytes col="in" n={row.bytesIn} chunks={row.chunksIn} />
      <Bytes col="out" n={row.bytesOut} chunks={row.chunksOut} />
      <AgeCell createdAt={row.createdAt} closedAt={row.closedAt} />
      <td
        data-col="role"
        title={props.orphan ? `its listener ${row.parent ?? ''} is no longer in the table` : undefined}
      >
        {row.kind}
        {props.orphan && <span className="tag">orphan</span>}
      </td>
      <ErrnoCell fault={row.fault} />
    </tr>
  );
});
