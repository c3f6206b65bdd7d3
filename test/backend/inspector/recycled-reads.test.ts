// Reads through the shared read buffer and recycled slabs, end to end: what the capture and the event log show of a
// bulk transfer must be the bytes that were sent, or nothing (truncated), never another chunk's bytes.
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventOf, InspectorEvent } from '../../../shared';
import { destroySocket, dial, isState, readBytes, waitForEvent } from '../../helpers/loopback';
import type { Inspector } from '../../../backend/inspector/inspector';
import { useInspectors } from '../../helpers/inspector-fixture';
import { pseudoRandom } from '../../helpers/pseudo-random';

const MiB = 1 << 20;
const CAP = 512 * 1024;
/** capture.ts copies reads this large into slabs; smaller ones get a Buffer of their own. */
const SLAB_MIN_CHUNK = 4096;

const { make, teardown } = useInspectors();

async function client(port: number): Promise<net.Socket> {
  const s = await dial(port);
  teardown.defer(() => destroySocket(s));
  return s;
}

/** The id of the listener's first accepted connection. */
async function acceptedId(inspector: Inspector, listener: string): Promise<string> {
  const opened = await waitForEvent(
    inspector,
    (e): e is EventOf<'socket/opened'> => e.type === 'socket/opened' && e.connection.parent === listener,
    3000,
    0,
  );
  return opened.id;
}

const dataIn = (inspector: Inspector, id: string) =>
  inspector
    .events({ since: 0, id, limit: 10_000 })
    .events.filter((e): e is EventOf<'socket/data'> => e.type === 'socket/data' && e.direction === 'in');

const sentAt = (sent: Buffer, c: { offset: number; length: number }) => sent.subarray(c.offset, c.offset + c.length);

// 3 MiB and 1 MiB (echoed) through real sockets, waiting up to 10 s for the FIN: more than vitest's default 5 s.
describe('reads into the shared buffer', { timeout: 30_000 }, () => {
  it('read mode: the capture keeps the newest bytes as sent; events of evicted reads are truncated', async () => {
    const inspector = make({ capturePerConnectionBytes: CAP, captureHeadBytes: 0 });
    const l = await inspector.listen({ port: 0 });
    const peer = await client(l.local.port);
    const id = await acceptedId(inspector, l.id);
    const sent = pseudoRandom(3 * MiB, 7);
    peer.end(sent);
    // The FIN comes after every byte: once the row is half-closed all 3 MiB have been read.
    await waitForEvent(inspector, isState(id, 'half-closed-remote'), 10_000, 0);
    const row = inspector.getConnection(id);
    expect(row.bytesIn).toBe(sent.length);

    const reply = inspector.chunks(id, { direction: 'in', limit: 10_000 });
    const held = reply.chunks;
    for (const c of held) expect(Buffer.from(c.data, 'base64').equals(sentAt(sent, c)), `chunk ${c.index}`).toBe(true);
    const heldBytes = held.reduce((n, c) => n + c.length, 0);
    expect(heldBytes).toBeLessThanOrEqual(CAP);
    expect(heldBytes + reply.droppedBytes).toBe(sent.length);
    expect(held[held.length - 1]!.offset + held[held.length - 1]!.length).toBe(sent.length);

    const oldestHeld = held[0]!.index;
    const events = dataIn(inspector, id);
    expect(events.reduce((n, e) => n + e.length, 0)).toBe(sent.length);
    // Recycled reads lose their payload with their chunk: their slab is refilled by later reads.
    const gone = events.filter((e) => e.index < oldestHeld && e.length >= SLAB_MIN_CHUNK);
    expect(gone.length).toBeGreaterThan(0);
    for (const e of gone)
      expect({ truncated: e.truncated, data: e.data }, `event of chunk ${e.index}`).toEqual({
        truncated: true,
        data: '',
      });
    for (const e of events.filter((e) => !gone.includes(e))) {
      expect(e.truncated, `event of chunk ${e.index}`).toBe(false);
      expect(Buffer.from(e.data, 'base64').equals(sentAt(sent, e)), `event of chunk ${e.index}`).toBe(true);
    }
    const last = events[events.length - 1]!;
    expect(last.offset + last.length).toBe(sent.length);
    expect(JSON.parse(JSON.stringify(last))).toMatchObject({
      truncated: false,
      data: sentAt(sent, last).toString('base64'),
    });
  });

  it('echo mode: 1 MiB comes back unchanged, and every read keeps its own bytes', async () => {
    const inspector = make();
    const l = await inspector.listen({ port: 0, accept: 'echo' });
    const peer = await client(l.local.port);
    const id = await acceptedId(inspector, l.id);
    const sent = pseudoRandom(MiB, 8);
    const back = readBytes(peer, sent.length);
    peer.write(sent);
    expect((await back).equals(sent)).toBe(true);
    // The echo's writes may still wait in Node's queue when later reads arrive: they must not share recycled memory.
    const events = dataIn(inspector, id);
    expect(events.reduce((n, e) => n + e.length, 0)).toBe(sent.length);
    for (const e of events) {
      expect(e.truncated, `event of chunk ${e.index}`).toBe(false);
      expect(Buffer.from(e.data, 'base64').equals(sentAt(sent, e)), `event of chunk ${e.index}`).toBe(true);
    }
    const isOut = (e: InspectorEvent) => e.type === 'socket/data' && e.direction === 'out';
    expect(inspector.events({ since: 0, id, limit: 10_000 }).events.filter(isOut).length).toBe(events.length);
  });
});
