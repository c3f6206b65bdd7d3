// The Store: frames applied once per frame, resume without lost or doubled rows, link status, Clear closed.
import { describe, expect, it } from 'vitest';
import { Store } from '../../frontend/state/store';
import type { InspectorEvent, SnapshotFrame } from '../../shared';
import { accepted, closed, dataIn, ev, listener, opened, snapshot, T0 } from './table-factories';

function storeWithFrames() {
  const scheduled: (() => void)[] = [];
  const store = new Store((f) => scheduled.push(f));
  const seen: number[] = [];
  const snapshots: SnapshotFrame[] = [];
  store.onEvents((events, snap) => {
    seen.push(...events.map((e) => e.seq));
    if (snap) snapshots.push(snap);
  });
  return { store, scheduled, seen, snapshots };
}

const rows = (s: Store) => [...s.getState().table.listeners.keys(), ...s.getState().table.connections.keys()];

describe('Store', () => {
  it('queues frames and applies them in one flush per scheduled frame', () => {
    const { store, scheduled } = storeWithFrames();
    let renders = 0;
    store.subscribe(() => renders++);
    store.receive(snapshot(0, [listener(1)]));
    for (let seq = 1; seq <= 100; seq++)
      store.receive(ev({ type: 'socket/flow', seq, at: T0, id: 'c-1', paused: true }));
    expect(scheduled).toHaveLength(1);
    expect(store.getState().table.seq).toBe(0);
    scheduled[0]!();
    expect(renders).toBe(1);
    expect(store.getState().table.seq).toBe(100);
    expect(store.getState().table.unknown).toBe(100); // c-1 does not exist: counted, harmless
  });

  it('flushes at once when frames pile up without an animation frame (a hidden tab)', () => {
    const { store, scheduled } = storeWithFrames();
    store.receive(snapshot(0, [listener(1)]));
    for (let seq = 1; seq < 4096; seq++)
      store.receive(
        ev({ type: 'listener/kernel', seq, at: T0, id: 'l-1', tcpState: 'LISTEN', recvQ: seq, sendQ: 511 }),
      );
    expect(scheduled).toHaveLength(1);
    expect(store.getState().table.seq).toBe(4095);
    expect(store.getState().table.listeners.get('l-1')?.recvQ).toBe(4095);
  });

  it('resumes after a reconnect without losing or doubling rows, bytes or events', () => {
    const { store, seen, snapshots } = storeWithFrames();
    const c1 = accepted(1, 1);
    const c2 = accepted(2, 1);
    // first connection
    store.receive(snapshot(2, [listener(1), c1]));
    store.receive(dataIn(3, 'c-1', 5));
    store.receive(opened(4, c2));
    store.receive(dataIn(5, 'c-2', 7));
    store.flush();
    expect(rows(store)).toEqual(['l-1', 'c-1', 'c-2']);
    // the link drops; meanwhile the server logs 6 (c-1 +3) and 7 (c-2 closed); we resume with since=5
    store.setLink('reconnecting');
    expect(store.getState().link).toBe('reconnecting');
    const e6 = dataIn(6, 'c-1', 3);
    const e7 = closed(7, { ...c2, bytesIn: 7, chunksIn: 1 });
    store.setLink('live');
    store.receive(
      snapshot(
        7,
        [
          listener(1, { accepted: 2 }),
          { ...c1, bytesIn: 8, chunksIn: 2 },
          { ...c2, bytesIn: 7, chunksIn: 1, state: 'closed' },
        ],
        {
          since: 5,
          replay: [e6, e7],
        },
      ),
    );
    store.receive(e7); // a duplicate must not count twice
    store.receive(dataIn(8, 'c-1', 1));
    store.receive(dataIn(8, 'c-1', 1));
    store.flush();

    const t = store.getState().table;
    expect(rows(store)).toEqual(['l-1', 'c-1', 'c-2']);
    expect(t.connections.get('c-1')?.bytesIn).toBe(9);
    expect(t.connections.get('c-2')).toMatchObject({ state: 'closed', bytesIn: 7 });
    expect(t.listeners.get('l-1')?.accepted).toBe(2);
    expect(t.seq).toBe(8);
    expect(store.getState().link).toBe('live');
    expect(seen).toEqual([3, 4, 5, 6, 7, 8]);
    expect(snapshots.map((s) => s.seq)).toEqual([2, 7]);
  });

  it('shows lagged until the next reconnect and counts missed events', () => {
    const { store } = storeWithFrames();
    store.setLink('live');
    store.receive(snapshot(10, [], { since: 2, lagged: true, missed: 5 }));
    store.flush();
    expect(store.getState()).toMatchObject({ link: 'lagged', missed: 5 });
    store.setLink('live');
    expect(store.getState().link).toBe('lagged');
    store.setLink('reconnecting');
    store.receive(snapshot(12, [], { since: 10 }));
    store.flush();
    expect(store.getState()).toMatchObject({ link: 'live', missed: 5 });
  });

  it("keeps the server's reason while refused, and forgets it with the next snapshot", () => {
    const { store } = storeWithFrames();
    store.setLink('refused', 'too many stream clients (max 2)');
    expect(store.getState()).toMatchObject({ link: 'refused', linkWhy: 'too many stream clients (max 2)' });
    store.receive(snapshot(3, []));
    store.flush();
    expect(store.getState()).toMatchObject({ link: 'live', linkWhy: null });
  });

  it('keeps degraded when a bad frame came after the snapshot in the same batch', () => {
    const { store } = storeWithFrames();
    store.setLink('live');
    store.receive(snapshot(1, []));
    store.setLink('degraded'); // the stream dropped a frame before this animation frame ran
    store.flush();
    expect(store.getState().link).toBe('degraded');
  });

  it('Clear closed forgets closed rows, also when a reconnect snapshot still has them', () => {
    const { store } = storeWithFrames();
    const live = accepted(1, 1);
    const done = accepted(2, 1, { state: 'closed', closedAt: T0 });
    store.receive(snapshot(3, [listener(1), listener(2, { state: 'closed' }), live, done]));
    store.flush();
    const before = store.getState().table;
    store.clearClosed();
    expect(rows(store)).toEqual(['l-1', 'c-1']);
    const cleared = store.getState().table;
    store.clearClosed();
    expect(store.getState().table).toBe(cleared); // nothing more to clear: the same table
    store.receive(snapshot(4, [listener(1), listener(2, { state: 'closed' }), live, done]));
    store.flush();
    expect(rows(store)).toEqual(['l-1', 'c-1']);
    expect(before.connections.size).toBe(2); // the old table was not mutated
  });

  it('a restarted server (seq from 0 again) is followed, not ignored', () => {
    const { store, seen } = storeWithFrames();
    store.receive(snapshot(50, [listener(1), accepted(1, 1)]));
    store.receive(dataIn(51, 'c-1', 1));
    store.flush();
    const restarted: InspectorEvent = dataIn(2, 'c-1', 4);
    store.receive(snapshot(1, [accepted(1, 1)]));
    store.receive(restarted);
    store.flush();
    expect(store.getState().table.connections.get('c-1')?.bytesIn).toBe(4);
    expect(seen).toEqual([51, 2]);
  });
});
