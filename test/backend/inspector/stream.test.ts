// Capture bounds, the event log and subscribe(), driven through real connections.
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CHUNK_OVERHEAD_BYTES, parseSnapshot, type EventOf, type InspectorEvent } from '../../../shared';
import { assertValidEvent, isState, silentServer, waitForEvent } from '../../helpers/loopback';
import type { Inspector } from '../../../backend/inspector/inspector';
import { useInspectors } from '../../helpers/inspector-fixture';

const { make, teardown } = useInspectors();

const dataIn =
  (id: string, index: number) =>
  (e: InspectorEvent): e is EventOf<'socket/data'> =>
    e.type === 'socket/data' && e.id === id && e.direction === 'in' && e.index === index;

/** An inspector connection to a silent peer, open, with the peer's socket. */
async function pair(inspector: Inspector) {
  const silent = teardown.add(await silentServer());
  const row = inspector.openConnection({ host: '127.0.0.1', port: silent.port });
  await waitForEvent(inspector, isState(row.id, 'open'), 3000, 0);
  return { id: row.id, peer: await silent.accepted() };
}

/** The peer writes each part and waits until the inspector has read it, so no two merge. */
async function feed(inspector: Inspector, p: { id: string; peer: Socket }, parts: string[]) {
  const start = inspector.getConnection(p.id).chunksIn + inspector.getConnection(p.id).chunksOut;
  for (const [i, part] of parts.entries()) {
    p.peer.write(part);
    await waitForEvent(inspector, dataIn(p.id, start + i + 1), 3000, 0);
  }
}

describe('capture bounds', () => {
  it('evicts the oldest chunks past capturePerConnectionBytes and counts them; counters stay exact', async () => {
    // Room for two 4-byte chunks (each costs its heap overhead too); no head, so eviction alone is seen.
    const inspector = make({ capturePerConnectionBytes: 2 * (4 + CHUNK_OVERHEAD_BYTES), captureHeadBytes: 0 });
    const p = await pair(inspector);
    await feed(inspector, p, ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']);
    const reply = inspector.chunks(p.id, {});
    expect(reply.chunks.map((c) => [c.index, c.offset, Buffer.from(c.data, 'base64').toString()])).toEqual([
      [4, 12, 'dddd'],
      [5, 16, 'eeee'],
    ]);
    expect(reply).toMatchObject({ droppedChunks: 3, droppedBytes: 12, lastIndex: 5, more: false });
    expect(inspector.getConnection(p.id)).toMatchObject({
      bytesIn: 20,
      chunksIn: 5,
      droppedBytes: 12,
      droppedChunks: 3,
    });
    expect(inspector.chunks(p.id, { since: 4 }).chunks.map((c) => c.index)).toEqual([5]);
    expect(inspector.chunks(p.id, { limit: 1 })).toMatchObject({ more: true });
  });

  it('evicts the globally oldest chunk past captureTotalBytes, whichever connection it belongs to', async () => {
    const inspector = make({ captureTotalBytes: 2 * (4 + CHUNK_OVERHEAD_BYTES) + 2, captureHeadBytes: 0 });
    const a = await pair(inspector);
    const b = await pair(inspector);
    await feed(inspector, a, ['a1a1']);
    await feed(inspector, b, ['b1b1']);
    await feed(inspector, a, ['a2a2']); // 12 > 10: a1 goes
    expect(inspector.chunks(a.id, {}).chunks.map((c) => c.index)).toEqual([2]);
    expect(inspector.chunks(b.id, {}).chunks.map((c) => c.index)).toEqual([1]);
    await feed(inspector, a, ['a3a3']); // b1 is now the oldest
    expect(inspector.chunks(b.id, {})).toMatchObject({ chunks: [], droppedChunks: 1, droppedBytes: 4, lastIndex: 1 });
    expect(inspector.getConnection(a.id)).toMatchObject({ droppedChunks: 1, bytesIn: 12 });
  });
});

describe('event log', () => {
  it('is bounded: reading from before the oldest event reports lagged', async () => {
    const inspector = make({ eventLogEvents: 5 });
    const p = await pair(inspector); // opened, attempt, open
    await feed(inspector, p, ['1', '2', '3', '4']);
    const page = inspector.events({ since: 0 });
    expect(page.lagged).toBe(true);
    expect(page.events).toHaveLength(5);
    expect(page.oldestSeq).toBe(page.lastSeq - 4);
    expect(inspector.events({ since: page.oldestSeq - 1 }).lagged).toBe(false);
    const sub = inspector.subscribe(() => {}, 0);
    expect(sub.snapshot).toMatchObject({ lagged: true, missed: page.oldestSeq - 1, since: 0 });
    sub.unsubscribe();
  });

  it('keeps data lengths but drops the oldest payloads past eventLogPayloadBytes', async () => {
    const inspector = make({ eventLogPayloadBytes: 6 });
    const p = await pair(inspector);
    await feed(inspector, p, ['abcd', 'efgh']);
    const data = inspector
      .events({ id: p.id })
      .events.filter((e): e is EventOf<'socket/data'> => e.type === 'socket/data');
    expect(data.map((e) => [e.length, e.truncated, e.data])).toEqual([
      [4, true, ''],
      [4, false, Buffer.from('efgh').toString('base64')],
    ]);
  });
});

describe('subscribe', () => {
  it('snapshot is consistent with the live events that follow; replay covers since..seq', async () => {
    const inspector = make();
    const p = await pair(inspector);
    const live: InspectorEvent[] = [];
    const { snapshot, unsubscribe } = inspector.subscribe((e) => live.push(e));
    teardown.defer(unsubscribe);
    const checked = parseSnapshot(snapshot);
    expect(checked.ok, checked.ok ? '' : checked.error).toBe(true);
    expect(snapshot).toMatchObject({ type: 'snapshot', since: null, replay: [], lagged: false, missed: 0 });
    expect(snapshot.seq).toBe(inspector.events({}).lastSeq);
    expect(snapshot.sockets.connections.map((c) => [c.id, c.state])).toEqual([[p.id, 'open']]);

    await feed(inspector, p, ['x']);
    expect(live.map((e) => e.seq)).toEqual([snapshot.seq + 1]);
    live.forEach((e) => assertValidEvent(e));

    const resumed = inspector.subscribe(() => {}, 2);
    expect(resumed.snapshot.since).toBe(2);
    expect(resumed.snapshot.replay.map((e) => e.seq)).toEqual(
      Array.from({ length: resumed.snapshot.seq - 2 }, (_, i) => i + 3),
    );
    resumed.unsubscribe();
  });

  it('a subscriber that throws breaks neither the inspector nor the other subscribers', async () => {
    const inspector = make();
    const bad = inspector.subscribe(() => {
      throw new Error('subscriber bug');
    });
    teardown.defer(bad.unsubscribe);
    const p = await pair(inspector);
    await feed(inspector, p, ['still works']);
    expect(inspector.getConnection(p.id)).toMatchObject({ state: 'open', bytesIn: 11 });
  });

  it('an action taken inside a subscriber keeps every subscriber in seq order', async () => {
    const inspector = make();
    const silent = teardown.add(await silentServer());
    const seen: number[] = [];
    const a = inspector.subscribe((e) => {
      if (e.type === 'socket/opened') inspector.pause(e.id);
    });
    const b = inspector.subscribe((e) => seen.push(e.seq));
    teardown.defer(a.unsubscribe);
    teardown.defer(b.unsubscribe);
    const row = inspector.openConnection({ host: '127.0.0.1', port: silent.port });
    expect(row.paused).toBe(true);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(inspector.events({ id: row.id }).events.map((e) => e.type)).toEqual([
      'socket/opened',
      'socket/flow',
      'socket/attempt',
    ]);
    await waitForEvent(inspector, isState(row.id, 'open'), 3000, 0);
  });
});
