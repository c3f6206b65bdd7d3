// Recycled slabs behind the capture: a read buffer the caller reuses is copied once, slabs are reused only once none
// of their chunks is held, and events over recycled bytes drop their payload exactly when the capture drops the chunk.
import { describe, expect, it } from 'vitest';
import type { EventOf, InspectorEvent, UnsequencedEvent } from '../../../shared';
import { CaptureStore, type ConnectionCapture } from '../../../backend/inspector/capture';
import { dataEvent, ownsPayload } from '../../../backend/inspector/data-event';
import { EventLog } from '../../../backend/inspector/event-log';
import { SLAB_BYTES, SlabPool } from '../../../backend/inspector/slab-pool';
import { CHUNK_OVERHEAD_BYTES } from '../../../shared';
import { assertValidEvent } from '../../helpers/loopback';

const KB = 1024;
const READ = 64 * KB;
/** A per-connection cap that holds exactly n chunks of `size` (each costs its overhead too). */
const room = (n: number, size = READ) => n * (size + CHUNK_OVERHEAD_BYTES);

/** A chunk whose every byte says which chunk it is: an overwrite by a later chunk shows as a foreign byte. */
const filled = (n: number, fill: number) => Buffer.alloc(n, fill & 0xff);

/** The stored 'in' chunks as index -> bytes, read back through list() (base64) as the REST route does. */
function listed(c: ConnectionCapture): Map<number, Buffer> {
  return new Map(c.list(0, 10_000, 'in').chunks.map((x) => [x.index, Buffer.from(x.data, 'base64')]));
}

/** Each held 'in' chunk's fill byte, or -1 for a chunk whose bytes are not all the same. */
const fillsOf = (c: ConnectionCapture) =>
  [...listed(c).values()].map((b) => (b.equals(filled(b.length, b[0]!)) ? b[0] : -1));

const asData = (e: InspectorEvent | UnsequencedEvent) => e as EventOf<'socket/data'>;

describe('recycle and own copies', () => {
  it('recycle: a 64 KiB read is copied into a slab, so reusing the read buffer leaves the capture intact', () => {
    const c = new CaptureStore(1 << 20, 64 << 20).create();
    const read = filled(READ, 0x11);
    const kept = c.record('in', read, 1, 'recycle');
    expect(kept).toMatchObject({ index: 1, offset: 0, recycled: true });
    expect(kept.bytes.equals(filled(READ, 0x11))).toBe(true);
    read.fill(0x22); // what the next read into the shared buffer does
    expect(kept.bytes.equals(filled(READ, 0x11))).toBe(true);
    expect(listed(c).get(1)!.equals(filled(READ, 0x11))).toBe(true);
    expect(c.stored('in')[0]!.bytes.equals(filled(READ, 0x11))).toBe(true);
  });

  it('small reads, own mode and reads over the per-connection cap get Buffers of their own', () => {
    const store = new CaptureStore(128 * KB, 64 << 20);
    const c = store.create();
    const huge = filled(128 * KB + 1, 1);
    const small = filled(4095, 2);
    const own = filled(READ, 3);
    // The over-cap read first: it is counted, then evicted with everything held before it.
    const kept = [
      c.record('in', huge, 1, 'recycle'),
      c.record('in', small, 2, 'recycle'),
      c.record('in', own, 3, 'own'),
    ];
    expect(kept.map((k) => k.recycled)).toEqual([false, false, false]);
    for (const b of [huge, small, own]) b.fill(0xee);
    expect(kept[0]!.bytes.equals(filled(128 * KB + 1, 1))).toBe(true);
    expect(kept[1]!.bytes.equals(filled(4095, 2))).toBe(true);
    expect(kept[2]!.bytes.equals(filled(READ, 3))).toBe(true);
    expect([...listed(c).keys()]).toEqual([2, 3]);
    expect(fillsOf(c)).toEqual([2, 3]);
    expect(store.slabs.stats).toEqual({ inUse: 0, free: 0 });
  });

  it('4096 bytes is the smallest read copied into a slab; none keeps the caller Buffer itself', () => {
    const c = new CaptureStore(1 << 20, 64 << 20).create();
    expect(c.record('in', filled(4096, 1), 1, 'recycle').recycled).toBe(true);
    const given = filled(10, 2);
    expect(c.record('in', given, 2, 'none').bytes).toBe(given);
  });
});

describe('slab reuse', () => {
  const CAP = room(8);
  // Chunks held (at most 512 KiB) span at most 512 KiB / SLAB_BYTES + 1 slabs (a partial one at each end), plus the
  // one a read is copied into before the eviction it causes.
  const BOUND = (512 * KB) / SLAB_BYTES + 2;

  it('40 reads of 64 KiB under a 512 KiB cap reuse a few slabs and never overwrite a held chunk', () => {
    const store = new CaptureStore(CAP, 64 << 20);
    const c = store.create();
    const read = Buffer.alloc(READ); // one buffer reused for every read, as readInto does
    const fillOf = new Map<number, number>();
    let peak = 0;
    for (let i = 0; i < 40; i++) {
      read.fill(i + 1);
      const { index } = c.record('in', read, i, 'recycle');
      fillOf.set(index, i + 1);
      peak = Math.max(peak, store.slabs.stats.inUse);
      for (const [held, bytes] of listed(c))
        expect(bytes.equals(filled(READ, fillOf.get(held)!)), `chunk ${held}`).toBe(true);
    }
    expect(peak).toBeLessThanOrEqual(BOUND);
    // Every slab that exists is in use or kept free: none was allocated past the bound and then dropped.
    const { inUse, free } = store.slabs.stats;
    expect(inUse + free).toBeLessThanOrEqual(BOUND);
    expect([...listed(c).keys()]).toEqual([33, 34, 35, 36, 37, 38, 39, 40]);
    expect(c.heldBytes).toBe(8 * READ);
    expect(c.droppedBytes + c.heldBytes).toBe(40 * READ);
  });

  it('reads of every size from 4 KiB to 64 KiB: a slab is reused only once none of its chunks is held', () => {
    // Sizes that do not divide a slab: slabs are retired part-empty and one read may evict several chunks, cases
    // equal 64 KiB reads never reach.
    const store = new CaptureStore(CAP, 64 << 20);
    const c = store.create();
    const read = Buffer.alloc(READ);
    const sent = new Map<number, Buffer>();
    let peak = 0;
    let seed = 1;
    for (let i = 0; i < 300; i++) {
      const view = read.subarray(0, 4096 + ((i * 7919) % (READ - 4096 + 1)));
      for (let j = 0; j < view.length; j += 512)
        view.fill((seed = (seed * 48271) % 0x7fffffff) & 0xff, j, Math.min(j + 512, view.length));
      const kept = c.record('in', view, i, 'recycle');
      expect(kept.recycled).toBe(true);
      sent.set(kept.index, Buffer.from(view));
      peak = Math.max(peak, store.slabs.stats.inUse);
      for (const [held, bytes] of listed(c))
        expect(bytes.equals(sent.get(held)!), `chunk ${held} after ${i}`).toBe(true);
    }
    expect(peak).toBeLessThanOrEqual(BOUND);
    expect(c.droppedChunks).toBeGreaterThan(250);
  });

  it('a slab goes back to the pool with its last held chunk, not before', () => {
    // One connection alone cannot show an early return (its next slab is filled from the front, its last chunk at
    // the back is evicted first); another connection filling the whole slab does.
    const store = new CaptureStore(room(4), 64 << 20);
    const a = store.create();
    const b = store.create();
    for (let i = 1; i <= 7; i++) a.record('in', filled(READ, 0xa0 + i), i, 'recycle'); // chunk 4 alone left in slab 1
    expect(fillsOf(a)).toEqual([0xa4, 0xa5, 0xa6, 0xa7]);
    for (let i = 0; i < 4; i++) b.record('in', filled(READ, 0xb0 + i), i, 'recycle');
    expect(fillsOf(a)).toEqual([0xa4, 0xa5, 0xa6, 0xa7]);
    expect(fillsOf(b)).toEqual([0xb0, 0xb1, 0xb2, 0xb3]);
  });

  it('a slab still being filled is not handed to another connection when its chunks are all evicted', () => {
    const store = new CaptureStore(100 * KB, 64 << 20);
    const a = store.create();
    const b = store.create();
    a.record('in', filled(READ, 0xa1), 1, 'recycle');
    a.record('in', filled(READ, 0xa2), 2, 'own'); // evicts the only chunk of a's filling slab
    expect(a.record('in', filled(8 * KB, 0xa3), 3, 'recycle').recycled).toBe(true); // same slab, further on
    for (let i = 0; i < 4; i++) b.record('in', filled(SLAB_BYTES / 4, 0xb0 + i), 4 + i, 'recycle');
    expect(fillsOf(a)).toEqual([0xa2, 0xa3]);
  });

  it('holds() is true for held chunks and false for evicted, future and forgotten ones', () => {
    const c = new CaptureStore(room(2), 64 << 20).create();
    for (let i = 0; i < 5; i++) c.record('in', filled(READ, i), i, 'recycle');
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => c.holds(i))).toEqual([false, false, false, false, true, true, false]);
    c.forget();
    expect(c.holds(5)).toBe(false);
  });

  it('forget() gives every slab back; a second forget changes nothing', () => {
    const store = new CaptureStore(1 << 20, 64 << 20);
    const c = store.create();
    for (let i = 0; i < 10; i++) c.record('in', filled(READ, i), i, 'recycle'); // 640 KiB: three slabs
    expect(store.slabs.stats).toEqual({ inUse: 3, free: 0 });
    c.forget();
    expect(store.slabs.stats).toEqual({ inUse: 0, free: 3 });
    c.forget();
    expect(store.slabs.stats).toEqual({ inUse: 0, free: 3 });
    expect(store.totalBytes).toBe(0);
    // Nothing is stored after forget, so nothing may take a slab either.
    expect(c.record('in', filled(READ, 9), 11, 'recycle').recycled).toBe(false);
    expect(store.slabs.stats).toEqual({ inUse: 0, free: 3 });
  });

  it('an exhausted pool falls back to copies with the right bytes; a slab given back is used again', () => {
    const store = new CaptureStore(room(4), room(4)); // room for one slab in all
    const a = store.create();
    const b = store.create();
    expect(a.record('in', filled(READ, 0xa1), 1, 'recycle').recycled).toBe(true);
    const fromB = b.record('in', filled(READ, 0xb1), 2, 'recycle');
    expect(fromB.recycled).toBe(false);
    expect(a.record('in', filled(READ, 0xa2), 3, 'recycle').recycled).toBe(true);
    expect(b.record('in', filled(READ, 0xb2), 4, 'recycle').recycled).toBe(false);
    expect(fillsOf(a)).toEqual([0xa1, 0xa2]);
    expect(fillsOf(b)).toEqual([0xb1, 0xb2]);
    a.forget();
    expect(b.record('in', filled(READ, 0xb3), 5, 'recycle').recycled).toBe(true);
    expect(listed(b).get(3)!.equals(filled(READ, 0xb3))).toBe(true);
  });
});

describe('SlabPool', () => {
  it('ignores a second give of the same slab, so two takes never share memory', () => {
    const pool = new SlabPool(4 * SLAB_BYTES);
    const slab = pool.take(READ)!;
    pool.give(slab);
    pool.give(slab);
    expect(pool.stats).toEqual({ inUse: 0, free: 1 });
    const first = pool.take(READ)!;
    const second = pool.take(READ)!;
    expect(first.buffer).not.toBe(second.buffer);
    expect(first.buffer.buffer).not.toBe(second.buffer.buffer);
  });

  it('allocates at most capBytes / SLAB_BYTES slabs and none for more than a slab', () => {
    const pool = new SlabPool(2 * SLAB_BYTES - 1);
    expect(pool.take(SLAB_BYTES + 1)).toBeNull();
    expect(pool.take(SLAB_BYTES)).not.toBeNull();
    expect(pool.take(1)).toBeNull();
  });
});

describe('data events over recycled bytes', () => {
  it('carry the bytes while the capture holds the chunk, then truncated with no data', () => {
    const c = new CaptureStore(room(2), 64 << 20).create();
    const read = Buffer.alloc(READ);
    const events = [1, 2, 3].map((fill) => {
      read.fill(fill);
      const k = c.record('in', read, fill, 'recycle');
      expect(k.recycled).toBe(true);
      return asData(dataEvent(fill, 'c-1', 'in', k.index, k.offset, k.bytes, c));
    });
    // Chunk 1 was evicted when chunk 3 came: its slab may be refilled, so its event must not show it.
    const json = events.map((e) => JSON.parse(JSON.stringify(e)) as EventOf<'socket/data'>);
    json.forEach((e, i) => assertValidEvent({ ...e, seq: i + 1 }));
    expect(json.map((e) => [e.index, e.length, e.truncated, e.data.length])).toEqual([
      [1, READ, true, 0],
      [2, READ, false, filled(READ, 2).toString('base64').length],
      [3, READ, false, filled(READ, 3).toString('base64').length],
    ]);
    expect([events[0]!.truncated, events[0]!.data]).toEqual([true, '']);
    expect(Buffer.from(json[1]!.data, 'base64').equals(filled(READ, 2))).toBe(true);
    expect(Buffer.from(events[2]!.data, 'base64').equals(filled(READ, 3))).toBe(true);
    expect(events.map((e) => ownsPayload(e as InspectorEvent))).toEqual([false, false, false]);
    const own = c.record('in', filled(10, 4), 4, 'own');
    expect(ownsPayload(dataEvent(4, 'c-1', 'in', own.index, own.offset, own.bytes) as InspectorEvent)).toBe(true);
  });

  it('the event log budget counts own payloads only: recycled events neither take budget nor give it back', () => {
    const c = new CaptureStore(1 << 20, 64 << 20).create();
    const recycled = () => {
      const k = c.record('in', filled(READ, 7), 0, 'recycle');
      return dataEvent(0, 'c-1', 'in', k.index, k.offset, k.bytes, c);
    };
    const own = (fill: number) => {
      const k = c.record('in', filled(4, fill), 0, 'own');
      return dataEvent(0, 'c-1', 'in', k.index, k.offset, k.bytes);
    };
    const log = new EventLog(4, 8);
    const view = () =>
      log.page({}).events.map((e) => {
        const d = asData(e);
        return [d.length, d.truncated, d.truncated ? null : Buffer.from(d.data, 'base64')[0]];
      });
    log.append(recycled());
    log.append(recycled());
    log.append(own(1));
    log.append(own(2));
    // Counted, 128 KiB of recycled bytes would have trimmed everything; the two own payloads fit the budget exactly.
    expect(view()).toEqual([
      [READ, false, 7],
      [READ, false, 7],
      [4, false, 1],
      [4, false, 2],
    ]);
    log.append(own(3)); // the ring drops a recycled event: taking its length off the count would let all three stay
    expect(view()).toEqual([
      [READ, false, 7],
      [4, true, null],
      [4, false, 2],
      [4, false, 3],
    ]);
    log.append(own(4));
    log.append(own(5));
    expect(view()).toEqual([
      [4, true, null],
      [4, true, null],
      [4, false, 4],
      [4, false, 5],
    ]);
    log.page({}).events.forEach((e) => assertValidEvent(e));
  });
});
