// Pure fold of the event stream into table rows: (TableState, events) -> TableState.
// Rows live in RowMaps (a batch copies only the chunks it touches) and are replaced, never mutated, so memoised rows
// re-render only when they change.
import {
  assertNever,
  type ConnectionRow,
  type InspectorEvent,
  type ListenerRow,
  type SnapshotFrame,
} from '../../shared';
import { RowMap, type RowMapEdit } from './row-map';

export interface TableState {
  /** Highest seq folded in; frames at or below it are duplicates and skipped. */
  readonly seq: number;
  readonly listeners: ReadonlyMap<string, ListenerRow>;
  readonly connections: ReadonlyMap<string, ConnectionRow>;
  /** Events that named an id we never saw (e.g. its row was pruned): counted, not fatal. */
  readonly unknown: number;
}

export const emptyTable = (): TableState => ({
  seq: 0,
  listeners: RowMap.from([]),
  connections: RowMap.from([]),
  unknown: 0,
});

// Each map is edited from its first write in a batch: a batch of byte counts leaves `listeners` identical.
class Draft {
  seq: number;
  unknown: number;
  private listenerEdit: RowMapEdit<ListenerRow> | null = null;
  private connectionEdit: RowMapEdit<ConnectionRow> | null = null;
  constructor(private readonly base: TableState) {
    this.seq = base.seq;
    this.unknown = base.unknown;
  }
  listener(id: string): ListenerRow | undefined {
    return (this.listenerEdit ?? this.base.listeners).get(id);
  }
  connection(id: string): ConnectionRow | undefined {
    return (this.connectionEdit ?? this.base.connections).get(id);
  }
  setListener(row: ListenerRow): void {
    (this.listenerEdit ??= RowMap.edit(this.base.listeners)).set(row);
  }
  setConnection(row: ConnectionRow): void {
    (this.connectionEdit ??= RowMap.edit(this.base.connections)).set(row);
  }
  done(): TableState {
    return {
      seq: this.seq,
      listeners: this.listenerEdit?.done() ?? this.base.listeners,
      connections: this.connectionEdit?.done() ?? this.base.connections,
      unknown: this.unknown,
    };
  }
}

export function fromSnapshot(frame: SnapshotFrame): TableState {
  return {
    seq: frame.seq,
    listeners: RowMap.from(frame.sockets.listeners),
    connections: RowMap.from(frame.sockets.connections),
    unknown: 0,
  };
}

export function foldEvents(state: TableState, events: readonly InspectorEvent[]): TableState {
  if (!events.some((e) => e.seq > state.seq)) return state;
  const draft = new Draft(state);
  for (const e of events) {
    if (e.seq <= draft.seq) continue;
    apply(draft, e);
    draft.seq = e.seq;
  }
  return draft.done();
}

function patchConnection(d: Draft, id: string, patch: (row: ConnectionRow) => Partial<ConnectionRow>): void {
  const row = d.connection(id);
  if (!row) {
    d.unknown++;
    return;
  }
  d.setConnection({ ...row, ...patch(row) });
}

function patchListener(d: Draft, id: string, patch: (row: ListenerRow) => Partial<ListenerRow>): void {
  const row = d.listener(id);
  if (!row) {
    d.unknown++;
    return;
  }
  d.setListener({ ...row, ...patch(row) });
}

function apply(d: Draft, e: InspectorEvent): void {
  switch (e.type) {
    case 'listener/opened':
    case 'listener/closed':
      d.setListener(e.listener);
      return;
    case 'listener/state':
      return patchListener(d, e.id, () => ({ state: e.to }));
    case 'listener/fault':
      return patchListener(d, e.id, () => ({ fault: e.fault }));
    case 'listener/config':
      return patchListener(d, e.id, () => ({
        framing: e.framing,
        responders: e.responders,
        closeOnPeerFin: e.closeOnPeerFin,
        captureHeadBytes: e.captureHeadBytes,
      }));
    case 'socket/opened':
      d.setConnection(e.connection);
      if (e.connection.kind === 'accepted' && e.connection.parent) {
        patchListener(d, e.connection.parent, (l) => ({ accepted: l.accepted + 1 }));
      }
      return;
    case 'socket/closed':
      d.setConnection(e.connection);
      return;
    case 'socket/attempt':
      return patchConnection(d, e.id, () => ({ attempt: e.attempt, attempts: e.attempts }));
    case 'socket/state':
      return patchConnection(d, e.id, (r) => ({
        state: e.to,
        stateChangedAt: e.at,
        local: e.local === undefined ? r.local : e.local,
        remote: e.remote === undefined ? r.remote : e.remote,
        family: e.family === undefined ? r.family : e.family,
      }));
    case 'socket/data':
      return patchConnection(d, e.id, (r) =>
        e.direction === 'in'
          ? { bytesIn: r.bytesIn + e.length, chunksIn: r.chunksIn + 1 }
          : { bytesOut: r.bytesOut + e.length, chunksOut: r.chunksOut + 1 },
      );
    case 'socket/fault':
      return patchConnection(d, e.id, () => ({ fault: e.fault }));
    case 'socket/flow':
      return patchConnection(d, e.id, () => ({ paused: e.paused }));
    case 'socket/config':
      return patchConnection(d, e.id, () => ({
        framing: e.framing,
        responders: e.responders,
        noDelay: e.noDelay,
        keepAlive: e.keepAlive,
        closeOnPeerFin: e.closeOnPeerFin,
        captureHeadBytes: e.captureHeadBytes,
      }));
    case 'socket/kernel':
      return patchConnection(d, e.id, () => ({ tcpState: e.tcpState, recvQ: e.recvQ, sendQ: e.sendQ }));
    case 'socket/queue':
      return patchConnection(d, e.id, () => ({ queuedBytes: e.queuedBytes }));
    case 'listener/kernel':
      return patchListener(d, e.id, () => ({ tcpState: e.tcpState, recvQ: e.recvQ, sendQ: e.sendQ }));
    case 'scenario/run':
    case 'scenario/step':
      return; // not rows: the Lab view follows runs itself
    default:
      return assertNever(e);
  }
}

/** The closed and failed rows (connections and listeners) of a table: what `Clear closed` forgets. */
export function terminalIds(state: TableState): string[] {
  const ids: string[] = [];
  for (const m of [state.listeners, state.connections])
    for (const r of m.values()) if (r.state === 'closed' || r.state === 'failed') ids.push(r.id);
  return ids;
}

/** The table without these rows (the same table when none of them is in it). */
export function withoutIds(state: TableState, ids: ReadonlySet<string>): TableState {
  const keep = <R extends { id: string }>(m: ReadonlyMap<string, R>) =>
    [...m.keys()].some((id) => ids.has(id)) ? RowMap.from([...m.values()].filter((r) => !ids.has(r.id))) : m;
  const listeners = keep(state.listeners);
  const connections = keep(state.connections);
  return listeners === state.listeners && connections === state.connections
    ? state
    : { ...state, listeners, connections };
}

/** The table without closed/failed connections and closed listeners. */
export function withoutTerminal(state: TableState): TableState {
  return withoutIds(state, new Set(terminalIds(state)));
}
