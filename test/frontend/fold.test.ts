import { describe, expect, it } from 'vitest';
import { emptyTable, foldEvents, fromSnapshot } from '../../frontend/state/fold';
import {
  parseEvent,
  parseSnapshot,
  type ConnectionRow,
  type InspectorEvent,
  type ListenerRow,
  type SnapshotFrame,
} from '../../shared';
import { connectionRow, listenerRow } from '../helpers/rows';

const listener = (over: Partial<ListenerRow> = {}): ListenerRow => listenerRow({ createdAt: 1, ...over });

const connection = (over: Partial<ConnectionRow> = {}): ConnectionRow =>
  connectionRow({ createdAt: 1, stateChangedAt: 1, ...over });

const snapshot = (seq: number, listeners: ListenerRow[] = [], connections: ConnectionRow[] = []): SnapshotFrame => {
  const frame: SnapshotFrame = {
    type: 'snapshot',
    seq,
    at: 1,
    sockets: { listeners, connections },
    since: null,
    replay: [],
    lagged: false,
    missed: 0,
  };
  expect(parseSnapshot(frame).ok).toBe(true);
  return frame;
};

// Every factory-made event must be a valid frame, so the fold is tested against the real contract.
const ev = <T extends InspectorEvent>(e: T): T => {
  const r = parseEvent(e);
  if (!r.ok) throw new Error(`factory made an invalid event: ${r.error}`);
  return e;
};

const data = (seq: number, id: string, direction: 'in' | 'out', length: number): InspectorEvent =>
  ev({ type: 'socket/data', seq, at: seq, id, direction, index: seq, offset: 0, length, data: '', truncated: true });

describe('fold', () => {
  it('builds rows from a snapshot', () => {
    const s = fromSnapshot(snapshot(7, [listener()], [connection()]));
    expect(s.seq).toBe(7);
    expect(s.listeners.get('l-1')?.state).toBe('listening');
    expect(s.connections.get('c-1')?.state).toBe('connecting');
  });

  it('applies state, data, fault and close in order', () => {
    let s = fromSnapshot(snapshot(0));
    s = foldEvents(s, [
      ev({ type: 'socket/opened', seq: 1, at: 1, id: 'c-1', connection: connection() }),
      ev({
        type: 'socket/state',
        seq: 2,
        at: 5,
        id: 'c-1',
        from: 'connecting',
        to: 'open',
        cause: 'connect',
        local: { address: '127.0.0.1', port: 5555 },
        remote: { address: '127.0.0.1', port: 4000 },
        family: 'IPv4',
      }),
      data(3, 'c-1', 'in', 5),
      data(4, 'c-1', 'out', 3),
      data(5, 'c-1', 'in', 2),
    ]);
    const row = s.connections.get('c-1')!;
    expect(row).toMatchObject({ state: 'open', stateChangedAt: 5, bytesIn: 7, chunksIn: 2, bytesOut: 3, chunksOut: 1 });
    expect(row.local).toEqual({ address: '127.0.0.1', port: 5555 });
    expect(s.seq).toBe(5);
  });

  it('skips frames at or below the snapshot watermark and duplicates', () => {
    let s = fromSnapshot(snapshot(10, [], [connection({ state: 'open', bytesIn: 5, chunksIn: 1 })]));
    s = foldEvents(s, [data(9, 'c-1', 'in', 5), data(10, 'c-1', 'in', 5)]);
    expect(s.connections.get('c-1')?.bytesIn).toBe(5);
    s = foldEvents(s, [data(11, 'c-1', 'in', 4), data(11, 'c-1', 'in', 4), data(12, 'c-1', 'in', 1)]);
    expect(s.connections.get('c-1')).toMatchObject({ bytesIn: 10, chunksIn: 3 });
    expect(s.seq).toBe(12);
  });

  it('ignores an out-of-order (older) frame arriving after a newer one', () => {
    let s = fromSnapshot(snapshot(0, [], [connection({ state: 'open' })]));
    s = foldEvents(s, [data(3, 'c-1', 'in', 1), data(2, 'c-1', 'in', 100)]);
    expect(s.connections.get('c-1')?.bytesIn).toBe(1);
  });

  it('returns the same state object when nothing is new (no re-render)', () => {
    const s = fromSnapshot(snapshot(4, [], [connection()]));
    expect(foldEvents(s, [data(3, 'c-1', 'in', 1)])).toBe(s);
  });

  it('keeps unchanged rows identical across a batch', () => {
    const s = fromSnapshot(snapshot(0, [], [connection(), connection({ id: 'c-2', state: 'open' })]));
    const next = foldEvents(s, [data(1, 'c-2', 'in', 1)]);
    expect(next.connections.get('c-1')).toBe(s.connections.get('c-1'));
    expect(next.connections.get('c-2')).not.toBe(s.connections.get('c-2'));
  });

  it('leaves the state it folded from as it was, even when folded from twice', () => {
    const rows = Array.from({ length: 200 }, (_, i) => connection({ id: `c-${i + 1}`, state: 'open' }));
    const s = fromSnapshot(snapshot(0, [], rows));
    const a = foldEvents(s, [
      data(1, 'c-150', 'in', 5),
      ev({ type: 'socket/opened', seq: 2, at: 2, id: 'c-900', connection: connection({ id: 'c-900' }) }),
    ]);
    const b = foldEvents(s, [
      data(1, 'c-150', 'in', 7),
      ev({ type: 'socket/opened', seq: 2, at: 2, id: 'c-901', connection: connection({ id: 'c-901' }) }),
    ]);
    expect(s.connections.size).toBe(200);
    expect(s.connections.get('c-150')?.bytesIn).toBe(0);
    expect([a.connections.get('c-150')?.bytesIn, b.connections.get('c-150')?.bytesIn]).toEqual([5, 7]);
    expect([a.connections.has('c-900'), a.connections.has('c-901')]).toEqual([true, false]);
    expect([b.connections.has('c-900'), b.connections.has('c-901')]).toEqual([false, true]);
    expect([...b.connections.keys()].slice(-2)).toEqual(['c-200', 'c-901']);
    expect(a.connections.get('c-1')).toBe(s.connections.get('c-1'));
  });

  it('tolerates events for unknown ids and counts them', () => {
    const s = foldEvents(emptyTable(), [
      data(1, 'c-99', 'in', 1),
      ev({ type: 'listener/state', seq: 2, at: 2, id: 'l-9', from: 'listening', to: 'closed' }),
    ]);
    expect(s.connections.size).toBe(0);
    expect(s.unknown).toBe(2);
    expect(s.seq).toBe(2);
  });

  it('counts accepted children on their listener and takes the final row on close', () => {
    let s = fromSnapshot(snapshot(0, [listener()]));
    const child = connection({ id: 'c-2', kind: 'accepted', parent: 'l-1', state: 'open', target: null });
    s = foldEvents(s, [ev({ type: 'socket/opened', seq: 1, at: 1, id: 'c-2', connection: child })]);
    expect(s.listeners.get('l-1')?.accepted).toBe(1);
    const fault = {
      code: 'ECONNRESET',
      errno: 104,
      syscall: 'read',
      address: null,
      port: null,
      message: 'read ECONNRESET',
      state: 'open',
      at: 3,
      explanation: null,
    };
    s = foldEvents(s, [
      ev({ type: 'socket/fault', seq: 2, at: 3, id: 'c-2', fault, attempt: 0, retryInMs: null }),
      ev({
        type: 'socket/closed',
        seq: 3,
        at: 4,
        id: 'c-2',
        connection: { ...child, state: 'failed', fault, closedAt: 4 },
      }),
    ]);
    expect(s.connections.get('c-2')).toMatchObject({
      state: 'failed',
      closedAt: 4,
      fault: { code: 'ECONNRESET', errno: 104 },
    });
  });

  it('applies socket/config and listener/config: settings (the capture head too) change, counters and state stay', () => {
    let s = fromSnapshot(
      snapshot(
        5,
        [listener()],
        [connection({ state: 'open', bytesIn: 32, chunksIn: 2, framing: null, closeOnPeerFin: false })],
      ),
    );
    const before = s.connections.get('c-1');
    s = foldEvents(s, [
      ev({
        type: 'socket/config',
        seq: 6,
        at: 6,
        id: 'c-1',
        changed: 'framing',
        framing: { kind: 'fixed', size: 16 },
        responders: { mode: 'off', rules: 0 },
        noDelay: false,
        keepAlive: false,
        closeOnPeerFin: false,
        captureHeadBytes: 256 * 1024,
      }),
      ev({
        type: 'listener/config',
        seq: 7,
        at: 7,
        id: 'l-1',
        changed: 'responders',
        framing: { kind: 'delimiter', delimiter: '\\n' },
        responders: { mode: 'rules', rules: 3 },
        closeOnPeerFin: true,
        captureHeadBytes: 4096,
      }),
      ev({
        type: 'socket/config',
        seq: 8,
        at: 8,
        id: 'c-1',
        changed: 'options',
        framing: { kind: 'fixed', size: 16 },
        responders: { mode: 'echo', rules: 0 },
        noDelay: true,
        keepAlive: true,
        closeOnPeerFin: true,
        captureHeadBytes: 1024,
      }),
    ]);
    expect(s.connections.get('c-1')).toEqual({
      ...before,
      framing: { kind: 'fixed', size: 16 },
      responders: { mode: 'echo', rules: 0 },
      noDelay: true,
      keepAlive: true,
      closeOnPeerFin: true,
      captureHeadBytes: 1024,
    });
    expect(s.listeners.get('l-1')).toMatchObject({
      state: 'listening',
      framing: { kind: 'delimiter', delimiter: '\\n' },
      responders: { mode: 'rules', rules: 3 },
      closeOnPeerFin: true,
      captureHeadBytes: 4096,
    });
    // Clearing the rule comes through as null, and a replayed (older) config frame changes nothing.
    const cleared = foldEvents(s, [
      ev({
        type: 'socket/config',
        seq: 9,
        at: 9,
        id: 'c-1',
        changed: 'framing',
        framing: null,
        responders: { mode: 'echo', rules: 0 },
        noDelay: true,
        keepAlive: true,
        closeOnPeerFin: true,
        captureHeadBytes: 1024,
      }),
    ]);
    expect(cleared.connections.get('c-1')?.framing).toBeNull();
    const replayed = ev({
      type: 'socket/config',
      seq: 8,
      at: 8,
      id: 'c-1',
      changed: 'framing',
      framing: { kind: 'fixed', size: 4 },
      responders: { mode: 'off', rules: 0 },
      noDelay: false,
      keepAlive: false,
      closeOnPeerFin: false,
      captureHeadBytes: 1024,
    });
    expect(foldEvents(cleared, [replayed])).toBe(cleared);
    const unknown = foldEvents(cleared, [
      ev({
        type: 'listener/config',
        seq: 10,
        at: 10,
        id: 'l-9',
        changed: 'framing',
        framing: null,
        responders: { mode: 'off', rules: 0 },
        closeOnPeerFin: false,
        captureHeadBytes: null,
      }),
    ]);
    expect(unknown.unknown).toBe(cleared.unknown + 1);
  });

  it('resumes: a snapshot after reconnect replaces rows, later events apply once', () => {
    let s = fromSnapshot(snapshot(0, [], [connection({ state: 'open' })]));
    s = foldEvents(s, [data(1, 'c-1', 'in', 1)]);
    // reconnect: the server's snapshot at seq 3 already includes seq 2 and 3
    s = fromSnapshot(snapshot(3, [], [connection({ state: 'open', bytesIn: 6, chunksIn: 3 })]));
    s = foldEvents(s, [data(2, 'c-1', 'in', 2), data(3, 'c-1', 'in', 3), data(4, 'c-1', 'in', 4)]);
    expect(s.connections.get('c-1')).toMatchObject({ bytesIn: 10, chunksIn: 4 });
  });
});
