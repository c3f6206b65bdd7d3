import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../backend/inspector/capture';
import { CHUNK_OVERHEAD_BYTES } from '../../../shared';

const bytes = (n: number, fill = 0x61) => Buffer.alloc(n, fill);
/** What the caps count for `chunks` chunks of `size` bytes. */
const cost = (size: number, chunks = 1) => chunks * (size + CHUNK_OVERHEAD_BYTES);

describe('ConnectionCapture', () => {
  it('numbers chunks across directions and keeps offsets per direction', () => {
    const c = new CaptureStore(1 << 20, 1 << 20).create();
    expect(c.record('out', bytes(3), 1)).toMatchObject({ index: 1, offset: 0, recycled: false });
    expect(c.record('in', bytes(5), 2)).toMatchObject({ index: 2, offset: 0, recycled: false });
    expect(c.record('out', bytes(2), 3)).toMatchObject({ index: 3, offset: 3, recycled: false });
    expect(c.record('in', bytes(1), 4)).toMatchObject({ index: 4, offset: 5, recycled: false });
    expect([c.bytesIn, c.bytesOut, c.chunksIn, c.chunksOut, c.lastIndex]).toEqual([6, 5, 2, 2, 4]);
    const page = c.list(0, 10);
    expect(page.chunks.map((x) => [x.index, x.direction, x.offset, x.length])).toEqual([
      [1, 'out', 0, 3],
      [2, 'in', 0, 5],
      [3, 'out', 3, 2],
      [4, 'in', 5, 1],
    ]);
    expect(page.chunks[0]!.data).toBe(bytes(3).toString('base64'));
  });

  it('pages with since, limit and direction', () => {
    const c = new CaptureStore(1 << 20, 1 << 20).create();
    for (let i = 0; i < 6; i++) c.record(i % 2 ? 'in' : 'out', bytes(1), i);
    expect(c.list(2, 2).chunks.map((x) => x.index)).toEqual([3, 4]);
    expect(c.list(2, 2).more).toBe(true);
    expect(c.list(4, 2).more).toBe(false);
    expect(c.list(0, 10, 'in').chunks.map((x) => x.index)).toEqual([2, 4, 6]);
    expect(c.list(0, 2, 'in').more).toBe(true);
    expect(c.list(6, 10).chunks).toEqual([]);
  });

  it('evicts the oldest chunks past the per-connection cap and counts them; counters stay exact', () => {
    const cap = cost(4, 2) + 2;
    const store = new CaptureStore(cap, 1 << 20);
    const c = store.create();
    for (let i = 0; i < 5; i++) c.record('in', bytes(4), i);
    expect(c.list(0, 100).chunks.map((x) => x.index)).toEqual([4, 5]);
    expect([c.droppedChunks, c.droppedBytes, c.bytesIn, c.chunksIn]).toEqual([3, 12, 20, 5]);
    expect([store.totalBytes, store.accountedBytes, c.accountedBytes]).toEqual([8, cost(4, 2), cost(4, 2)]);
    // a chunk larger than the cap is counted and dropped, never kept
    const big = cap - CHUNK_OVERHEAD_BYTES + 1;
    c.record('out', bytes(big), 9);
    expect(c.list(0, 100).chunks).toEqual([]);
    expect(c.droppedBytes).toBe(20 + big);
    expect([store.totalBytes, store.accountedBytes]).toEqual([0, 0]);
  });

  it('evicts the globally oldest chunk past the total cap, whichever connection holds it', () => {
    const store = new CaptureStore(cost(4, 10), cost(4, 2) + 2);
    const a = store.create();
    const b = store.create();
    a.record('in', bytes(4), 1); // a1
    b.record('in', bytes(4), 2); // b1
    a.record('in', bytes(4), 3); // a2 -> total 12: a1 goes
    expect(a.list(0, 10).chunks.map((x) => x.index)).toEqual([2]);
    expect(b.list(0, 10).chunks.map((x) => x.index)).toEqual([1]);
    b.record('in', bytes(4), 4); // b2 -> b1 goes
    expect(b.list(0, 10).chunks.map((x) => x.index)).toEqual([2]);
    expect([a.droppedChunks, b.droppedChunks, store.totalBytes, store.accountedBytes]).toEqual([1, 1, 8, cost(4, 2)]);
  });

  it('skips stale global entries left by per-connection eviction and by forgotten connections', () => {
    const store = new CaptureStore(cost(4) + cost(1), cost(4, 2) + 1); // one 4-byte chunk and a 1-byte one
    const a = store.create();
    const b = store.create();
    a.record('in', bytes(4), 1);
    a.record('in', bytes(4), 2); // a1 evicted per connection; its global entry is stale
    b.record('in', bytes(4), 3);
    b.record('out', bytes(4), 4); // b1 evicted per connection
    a.forget();
    expect(store.totalBytes).toBe(4);
    const c = store.create();
    c.record('in', bytes(4), 5);
    c.record('in', bytes(1), 6); // over the total: the oldest live chunk is b2
    expect(b.list(0, 10).chunks).toEqual([]);
    expect(c.list(0, 10).chunks.length).toBe(2);
    expect([store.totalBytes, store.accountedBytes]).toEqual([5, cost(4) + cost(1)]);
  });

  it('stays bounded over many chunks', () => {
    const store = new CaptureStore(cost(7, 64), cost(7, 150));
    const conns = [store.create(), store.create(), store.create()];
    for (let i = 0; i < 20000; i++) conns[i % 3]!.record('in', bytes(7), i);
    expect(store.accountedBytes).toBeLessThanOrEqual(cost(7, 150));
    expect(store.totalBytes).toBe(7 * 150);
    for (const c of conns) {
      expect(c.accountedBytes).toBeLessThanOrEqual(cost(7, 64));
      expect(c.heldChunks).toBe(50);
      expect(c.droppedBytes + c.heldBytes).toBe(c.bytesIn);
    }
  });

  it('charges every chunk its heap overhead: a flood of 1-byte chunks stays within the caps', () => {
    // Counting payload only, a 64 KiB cap held 65,536 one-byte chunks: some 25 MiB of heap.
    const store = new CaptureStore(64 * 1024, 128 * 1024);
    const [a, b] = [store.create(), store.create()];
    for (let i = 0; i < 100_000; i++) (i % 2 ? a : b).record('in', bytes(1), i);
    for (const c of [a, b]) {
      expect(c.accountedBytes).toBe(c.heldBytes + c.heldChunks * CHUNK_OVERHEAD_BYTES);
      expect(c.accountedBytes).toBeLessThanOrEqual(64 * 1024);
      expect(c.heldChunks).toBe(Math.floor((64 * 1024) / cost(1)));
      expect(c.droppedChunks + c.heldChunks).toBe(50_000);
    }
    expect(store.accountedBytes).toBe(a.accountedBytes + b.accountedBytes);
  });
});
