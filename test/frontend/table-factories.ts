// Rows, tables, snapshots and events for the table tests (every event and snapshot is checked against the schemas),
// and the view helpers their tests share.
import { expect } from 'vitest';
import {
  parseEvent,
  parseSnapshot,
  type ConnectionRow,
  type Fault,
  type InspectorEvent,
  type ListenerRow,
  type SnapshotFrame,
} from '../../shared';
import type { TableState } from '../../frontend/state/fold';
import { defaultViewOptions, type TableView, type ViewOptions } from '../../frontend/state/table-view';
import { connectionRow, listenerRow } from '../helpers/rows';

export const T0 = 1_700_000_000_000_000;

export const listener = (n: number, over: Partial<ListenerRow> = {}): ListenerRow =>
  listenerRow({ id: `l-${n}`, local: { address: '127.0.0.1', port: 4000 + n }, createdAt: T0 + n, ...over });

export const client = (n: number, over: Partial<ConnectionRow> = {}): ConnectionRow =>
  connectionRow({
    id: `c-${n}`,
    target: { address: '127.0.0.1', port: 4001 },
    local: { address: '127.0.0.1', port: 50000 + n },
    remote: { address: '127.0.0.1', port: 4001 },
    family: 'IPv4',
    state: 'open',
    createdAt: T0 + 100 + n,
    stateChangedAt: T0 + 100 + n,
    ...over,
  });

/** A connection accepted by listener `parent` (port 4000 + parent). */
export const accepted = (n: number, parent: number, over: Partial<ConnectionRow> = {}): ConnectionRow =>
  client(n, {
    kind: 'accepted',
    parent: `l-${parent}`,
    target: null,
    attempt: 0,
    attempts: 0,
    local: { address: '127.0.0.1', port: 4000 + parent },
    remote: { address: '127.0.0.1', port: 50000 + n },
    ...over,
  });

export const refused = (port = 1): Fault => ({
  code: 'ECONNREFUSED',
  errno: 111,
  syscall: 'connect',
  address: '127.0.0.1',
  port,
  message: `connect ECONNREFUSED 127.0.0.1:${port}`,
  state: 'connecting',
  at: T0,
  explanation: { title: 'Connection refused', cause: 'Nothing listens there.', fix: 'Start the server first.' },
});

export const table = (rows: (ListenerRow | ConnectionRow)[], seq = 1): TableState => ({
  seq,
  listeners: new Map(rows.filter((r): r is ListenerRow => !('kind' in r)).map((r) => [r.id, r])),
  connections: new Map(rows.filter((r): r is ConnectionRow => 'kind' in r).map((r) => [r.id, r])),
  unknown: 0,
});

export const snapshot = (
  seq: number,
  rows: (ListenerRow | ConnectionRow)[],
  over: Partial<SnapshotFrame> = {},
): SnapshotFrame => {
  const t = table(rows);
  const frame: SnapshotFrame = {
    type: 'snapshot',
    seq,
    at: T0 + seq,
    sockets: { listeners: [...t.listeners.values()], connections: [...t.connections.values()] },
    since: null,
    replay: [],
    lagged: false,
    missed: 0,
    ...over,
  };
  const r = parseSnapshot(frame);
  expect(r.ok ? 'ok' : r.error).toBe('ok');
  return frame;
};

export const ev = <T extends InspectorEvent>(e: T): T => {
  const r = parseEvent(e);
  if (!r.ok) throw new Error(`factory made an invalid event: ${r.error}`);
  return e;
};

export const dataIn = (seq: number, id: string, length: number): InspectorEvent =>
  ev({
    type: 'socket/data',
    seq,
    at: T0 + seq,
    id,
    direction: 'in',
    index: seq,
    offset: 0,
    length,
    data: '',
    truncated: true,
  });

export const opened = (seq: number, row: ConnectionRow): InspectorEvent =>
  ev({ type: 'socket/opened', seq, at: T0 + seq, id: row.id, connection: row });

export const closed = (seq: number, row: ConnectionRow): InspectorEvent =>
  ev({
    type: 'socket/closed',
    seq,
    at: T0 + seq,
    id: row.id,
    connection: { ...row, state: 'closed', closedAt: T0 + seq },
  });

/** A view's row ids in order, children indented by two spaces. */
export const viewIds = (v: TableView) =>
  v.items.map((it) => (it.type === 'connection' && it.depth === 1 ? `  ${it.row.id}` : it.row.id));
/** The default view options with `over` applied. */
export const viewOpts = (over: Partial<ViewOptions> = {}): ViewOptions => ({ ...defaultViewOptions, ...over });
