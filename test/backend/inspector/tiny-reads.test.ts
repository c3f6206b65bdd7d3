// A TCP_NODELAY peer writing one byte per write() makes many tiny reads. Each costs its heap overhead besides its
// payload, and the capture caps count both: before, 1-byte reads took GiBs of heap under a 64 MiB cap.
import { describe, expect, it } from 'vitest';
import type { Inspector } from '../../../backend/inspector/inspector';
import { CHUNK_OVERHEAD_BYTES } from '../../../shared';
import { accounted } from '../../helpers/accounted';
import { useInspectors } from '../../helpers/inspector-fixture';
import { waitForEvent } from '../../helpers/loopback';
import { tinyWrites } from '../../helpers/tiny-writes';

const { make, teardown } = useInspectors();
const KiB = 1024;
/** A bound, not a goal: the writer stops long before, once the reads have made enough chunks. */
const MAX_WRITES = 1_000_000;

/**
 * Floods a listener of `inspector` from `peers` tiny writers until every connection has read enough chunks that their
 * overhead alone passes `overheadPast` twice; resolves with the accepted rows, once all bytes are read, and the bytes
 * written. How many reads a byte count makes depends on how this process keeps up with the writer (a starved reader
 * merges them), so the chunks seen, not a byte count, end the flood.
 */
async function flood(inspector: Inspector, peers: number, overheadPast: number) {
  const l = await inspector.listen({ port: 0 });
  const writer = tinyWrites(l.local.port, MAX_WRITES, peers);
  teardown.defer(() => writer.close());
  const chunks = new Map<string, number>();
  const enough = (id: string) => (chunks.get(id) ?? 0) * CHUNK_OVERHEAD_BYTES > 2 * overheadPast;
  const sub = inspector.subscribe((e) => {
    if (e.type === 'socket/opened' && e.connection.parent === l.id) chunks.set(e.id, 0);
    else if (e.type === 'socket/data' && e.direction === 'in' && chunks.has(e.id)) {
      chunks.set(e.id, chunks.get(e.id)! + 1);
      if (chunks.size === peers && [...chunks.keys()].every(enough)) writer.stop();
    }
  });
  teardown.defer(() => sub.unsubscribe());
  const written = await writer.done;
  const rows = () => inspector.sockets().connections.filter((c) => c.parent === l.id);
  // Each peer's FIN comes after its last byte: once every row is half-closed, every byte has been read.
  while (rows().length < peers || rows().some((r) => r.state !== 'half-closed-remote'))
    await waitForEvent(inspector, (e) => e.type === 'socket/state' || e.type === 'socket/opened', 10_000);
  return { rows: rows(), written };
}

describe('tiny reads', () => {
  it('a 1-byte flood: the capture holds payload + overhead within capturePerConnectionBytes, every byte accounted', async () => {
    const cap = 256 * KiB;
    const inspector = make({ capturePerConnectionBytes: cap });
    const { rows, written } = await flood(inspector, 1, cap);
    const row = rows[0];
    const reply = inspector.chunks(row!.id, { direction: 'in', limit: 10_000 });
    expect(reply.more).toBe(false);
    expect(row!.bytesIn).toBe(written[0]);
    // What the test is about: the chunks' overhead alone passes the cap.
    expect(row!.chunksIn * CHUNK_OVERHEAD_BYTES).toBeGreaterThan(cap);
    expect(accounted(reply.chunks)).toBeLessThanOrEqual(cap);
    const held = reply.chunks.reduce((n, c) => n + c.length, 0);
    expect(held + reply.droppedBytes).toBe(written[0]);
    expect(reply.chunks.length + reply.droppedChunks).toBe(row!.chunksIn);
  }, 30_000);

  it('two 1-byte floods: together within captureTotalBytes', async () => {
    const total = 192 * KiB;
    const inspector = make({ capturePerConnectionBytes: 256 * KiB, captureTotalBytes: total });
    const { rows, written } = await flood(inspector, 2, total);
    // The worker's connections and the rows need not come in the same order: compare the sets of byte counts.
    expect(rows.map((r) => r.bytesIn).sort((a, b) => a - b)).toEqual([...written].sort((a, b) => a - b));
    let sum = 0;
    for (const row of rows) {
      const reply = inspector.chunks(row.id, { direction: 'in', limit: 10_000 });
      expect(row.chunksIn * CHUNK_OVERHEAD_BYTES).toBeGreaterThan(total); // each alone would pass the total
      expect(reply.chunks.reduce((n, c) => n + c.length, 0) + reply.droppedBytes).toBe(row.bytesIn);
      sum += accounted(reply.chunks);
    }
    expect(sum).toBeLessThanOrEqual(total);
    // The replay log is bounded by count whatever the chunk sizes (each event's heap cost: chunk-cost.ts).
    expect(inspector.events({ since: 0, limit: 10_000 }).events.length).toBeLessThanOrEqual(
      inspector.limits.eventLogEvents,
    );
  }, 30_000);
});
