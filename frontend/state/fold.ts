// Pure fold of the event stream into table rows: (TableState, events) -> TableState.
// Maps are copied once per batch, rows replaced (never mutated) so memoised rows re-render only when they change.
import {
  assertNever,
  type ConnectionRow,
  type InspectorEvent,
  type ListenerRow,
  type SnapshotFrame,
} from '../../shared';

export interface TableState {
  /** Highest seq folded in; frames at or below it are duplicates and skipped. */
  readonly seq: number;
  readonly listeners: ReadonlyMap<string, ListenerRow>;
  readonly connections: ReadonlyMap<string, ConnectionRow>;
  /** Events that named an id we never saw (e.g. its row was pruned): counted, not fatal. */
  readonly unknown: number;
}

export const emptyTable = (): TableState => ({ seq: 0, listeners: new Map(), connections: new Map(), unknown: 0 });

interface Draft {
  seq: number;
  listeners: Map<string, ListenerRow>;
  connections: Map<string, ConnectionRow>;
  unknown: number;
}

export function fromSnapshot(frame: SnapshotFrame): TableState {
  const draft: Draft = {
    seq: frame.seq,
    listeners: new Map(frame.sockets.listeners.map((l) => [l.id, l])),
    connections: new Map(frame.sockets.connections.map((c) => [c.id, c])),
    unknown: 0,
  };
  return draft;
}

export function foldEvents(state: TableState, events: readonly InspectorEvent[]): TableState {
  if (!events.some((e) => e.seq > state.seq)) return state;
  const draft: Draft = {
    seq: state.seq,
    listeners: new Map(state.listeners),
    connections: new Map(state.connections),
    unknown: state.unknown,
  };
  for (const e of events) {
    if (e.seq <= draft.seq) continue;
    apply(draft, e);
    draft.seq = e.seq;
  }
  return draft;
}

function patchConnection(d: Draft, id: string, patch: (row: ConnectionRow) => Partial<ConnectionRow>): void {
  const row = d.connections.get(id);
  if (!row) {
    d.unknown++;
    return;
  }
  d.connections.set(id, { ...row, ...patch(row) });
}

function patchListener(d: Draft, id: string, patch: (row: ListenerRow) => Partial<ListenerRow>): void {
  const row = d.listeners.get(id);
  if (!row) {
    d.unknown++;
    return;
  }
  d.listeners.set(id, { ...row, ...patch(row) });
}

function apply(d: Draft, e: InspectorEvent): void {
  switch (e.type) {
    case 'listener/opened':
    case 'listener/closed':
      d.listeners.set(e.id, e.listener);
      return;
    case 'listener/state':
      return patchListener(d, e.id, () => ({ state: e.to }));
    case 'listener/fault':
      return patchListener(d, e.id, () => ({ fault: e.fault }));
    case 'socket/opened':
      d.connections.set(e.id, e.connection);
      if (e.connection.kind === 'accepted' && e.connection.parent) {
        patchListener(d, e.connection.parent, (l) => ({ accepted: l.accepted + 1 }));
      }
      return;
    case 'socket/closed':
      d.connections.set(e.id, e.connection);
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
    case 'socket/options':
      return patchConnection(d, e.id, () => ({ noDelay: e.noDelay, keepAlive: e.keepAlive }));
    case 'socket/kernel':
      return patchConnection(d, e.id, () => ({ tcpState: e.tcpState, recvQ: e.recvQ, sendQ: e.sendQ }));
    case 'socket/queue':
      return patchConnection(d, e.id, () => ({ queuedBytes: e.queuedBytes }));
    case 'listener/kernel':
      return patchListener(d, e.id, () => ({ tcpState: e.tcpState, recvQ: e.recvQ, sendQ: e.sendQ }));
    default:
      return assertNever(e);
  }
}

/** The table without closed/failed connections and closed listeners. */
export function withoutTerminal(state: TableState): TableState {
  const live = <R extends { state: string }>(m: ReadonlyMap<string, R>) =>
    new Map([...m].filter(([, r]) => r.state !== 'closed' && r.state !== 'failed'));
  return { ...state, listeners: live(state.listeners), connections: live(state.connections) };
}
