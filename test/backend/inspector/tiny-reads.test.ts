// A TCP_NODELAY peer writing one byte per write() makes many tiny reads. Each costs its heap overhead besides its
// payload, and the capture caps count both: before, 1-byte reads took GiBs of heap under a 64 MiB cap.
import { describe, expect, it } from 'vitest';
import type { Inspector } from '../../../backend/inspector/inspector';
import { accounted } from '../../helpers/accounted';
import { useInspectors } from '../../helpers/inspector-fixture';
import { waitForEvent } from '../../helpers/loopback';
import { tinyWrites } from '../../helpers/tiny-writes';

const { make, teardown } = useInspectors();
const KiB = 1024;
const WRITES = 200_000;

/** Floods a listener of `inspector` from `peers` tiny writers; resolves with the accepted rows once all bytes are read. */
async function flood(inspector: Inspector, peers: number) {
  const l = await inspector.listen({ port: 0 });
  const writer = tinyWrites(l.local.port, WRITES, peers);
  teardown.defer(() => writer.close());
  await writer.done;
  const rows = () => inspector.sockets().connections.filter((c) => c.parent === l.id);
  // Each peer's FIN comes after its last byte: once every row is half-closed, every byte has been read.
  while (rows().length < peers || rows().some((r) => r.state !== 'half-closed-remote'))
    await waitForEvent(inspector, (e) => e.type === 'socket/state' || e.type === 'socket/opened', 10_000);
  return rows();
}

describe('tiny reads', () => {
  it('a 1-byte flood: the capture holds payload + overhead within capturePerConnectionBytes, every byte accounted', async () => {
    const cap = 256 * KiB;
    const inspector = make({ capturePerConnectionBytes: cap });
    const [row] = await flood(inspector, 1);
    const reply = inspector.chunks(row!.id, { direction: 'in', limit: 10_000 });
    expect(reply.more).toBe(false);
    expect(row!.bytesIn).toBe(WRITES);
    // The reads really were tiny (about 20 bytes each here): merged into a few large ones they would show nothing.
    expect(row!.chunksIn).toBeGreaterThan(1000);
    expect(accounted(reply.chunks)).toBeLessThanOrEqual(cap);
    const held = reply.chunks.reduce((n, c) => n + c.length, 0);
    expect(held + reply.droppedBytes).toBe(WRITES);
    expect(reply.chunks.length + reply.droppedChunks).toBe(row!.chunksIn);
  }, 30_000);

  it('two 1-byte floods: together within captureTotalBytes', async () => {
    const total = 192 * KiB;
    const inspector = make({ capturePerConnectionBytes: 256 * KiB, captureTotalBytes: total });
    const rows = await flood(inspector, 2);
    let sum = 0;
    for (const row of rows) {
      const reply = inspector.chunks(row.id, { direction: 'in', limit: 10_000 });
      expect(row.bytesIn).toBe(WRITES);
      expect(row.chunksIn).toBeGreaterThan(1000);
      expect(reply.chunks.reduce((n, c) => n + c.length, 0) + reply.droppedBytes).toBe(WRITES);
      sum += accounted(reply.chunks);
    }
    expect(sum).toBeLessThanOrEqual(total);
    // The replay log is bounded by count whatever the chunk sizes (each event's heap cost: chunk-cost.ts).
    expect(inspector.events({ since: 0, limit: 10_000 }).events.length).toBeLessThanOrEqual(
      inspector.limits.eventLogEvents,
    );
  }, 30_000);
});
