// The head of each direction (captureHeadBytes) is kept for good while the newest bytes are evicted as before; readers
// see both with their offsets, and the gap between them counted.
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../backend/inspector/capture';
import { CHUNK_OVERHEAD_BYTES } from '../../../shared';

const KB = 1024;
const cost = (size: number, chunks = 1) => chunks * (size + CHUNK_OVERHEAD_BYTES);
const text = (s: string) => Buffer.from(s);
const fill = (n: number, byte: number) => Buffer.alloc(n, byte);
const listed = (c: ReturnType<CaptureStore['create']>, direction?: 'in' | 'out') =>
  c.list(0, 100_000, direction).chunks.map((x) => [x.index, x.direction, x.offset, x.length]);

describe('capture head', () => {
  it('keeps the first reads of a direction while a flood evicts the rest; offsets and the gap say what is missing', () => {
    const store = new CaptureStore(1 << 20, 64 << 20, 256 * KB);
    const c = store.create();
    c.record('in', text('hello\n'), 1, 'recycle');
    c.record('in', text('world\nbye\n'), 2, 'recycle');
    for (let i = 0; i < 128; i++) c.record('in', fill(64 * KB, i), 3 + i, 'recycle'); // 8 MiB
    const chunks = c.list(0, 100_000, 'in').chunks;
    expect(chunks.slice(0, 2).map((x) => [x.index, x.offset, Buffer.from(x.data, 'base64').toString()])).toEqual([
      [1, 0, 'hello\n'],
      [2, 6, 'world\nbye\n'],
    ]);
    // The head took 64 KiB reads while they fitted in 256 KiB: three of them after the 16 bytes.
    const head = chunks.filter((x) => x.index <= 5);
    expect(head.map((x) => x.offset)).toEqual([0, 6, 16, 16 + 64 * KB, 16 + 128 * KB]);
    const headEnd = 16 + 3 * 64 * KB;
    const tail = chunks.slice(head.length);
    const total = 16 + 128 * 64 * KB;
    expect(tail.at(-1)!.offset + tail.at(-1)!.length).toBe(total);
    expect(c.gaps()).toEqual([{ direction: 'in', start: headEnd, end: tail[0]!.offset }]);
    expect(c.droppedBytes).toBe(tail[0]!.offset - headEnd);
    expect(c.heldBytes + c.droppedBytes).toBe(total);
    expect(c.accountedBytes).toBeLessThanOrEqual(1 << 20);
    expect([c.holds(1), c.holds(5), c.holds(6), c.holds(tail[0]!.index)]).toEqual([true, true, false, true]);
    expect(c.bytesOf(1)?.toString()).toBe('hello\n');
    expect(c.oldestOffset('in')).toBe(0);
    expect(c.stored('in').map((x) => x.index)).toEqual(chunks.map((x) => x.index));
  });

  it('both directions have a head; pages merge head and tail in index order', () => {
    const store = new CaptureStore(cost(10, 8), 64 << 20, 20);
    const c = store.create();
    for (let i = 0; i < 12; i++) c.record(i % 3 === 0 ? 'out' : 'in', fill(10, i), i);
    // Heads: out chunks 1 and 4, in chunks 2 and 3; the tail keeps the newest 4 of the rest.
    expect(listed(c)).toEqual([
      [1, 'out', 0, 10],
      [2, 'in', 0, 10],
      [3, 'in', 10, 10],
      [4, 'out', 10, 10],
      [9, 'in', 50, 10],
      [10, 'out', 30, 10],
      [11, 'in', 60, 10],
      [12, 'in', 70, 10],
    ]);
    expect(c.list(3, 2).chunks.map((x) => x.index)).toEqual([4, 9]);
    expect(c.list(3, 2).more).toBe(true);
    expect(c.list(0, 100, 'out').chunks.map((x) => x.index)).toEqual([1, 4, 10]);
    expect(c.gaps()).toEqual([
      { direction: 'in', start: 20, end: 50 },
      { direction: 'out', start: 20, end: 30 },
    ]);
  });

  it('a head is at most half the per-connection cap and half the total, overhead counted; past that it is not kept', () => {
    const store = new CaptureStore(cost(100, 4), cost(100, 6), 1 << 20);
    const a = store.create();
    for (let i = 0; i < 10; i++) a.record('in', fill(100, i), i);
    expect(listed(a).slice(0, 2)).toEqual([
      [1, 'in', 0, 100],
      [2, 'in', 100, 100],
    ]);
    expect(listed(a).length).toBe(4);
    const b = store.create();
    for (let i = 0; i < 10; i++) b.record('in', fill(100, i), i);
    // a's head holds 2 chunks of the 3 the total allows for heads: b's head gets 1.
    expect(store.headAccountedBytes).toBe(cost(100, 3));
    expect(b.list(0, 100).chunks[0]).toMatchObject({ index: 1, offset: 0 });
    expect(store.accountedBytes).toBeLessThanOrEqual(cost(100, 6));
    b.forget();
    a.forget();
    expect([store.accountedBytes, store.headAccountedBytes, store.totalBytes]).toEqual([0, 0, 0]);
  });

  it('set at run time: an open head grows to the new size; one set lower closes, keeping what it holds', () => {
    const store = new CaptureStore(1 << 20, 64 << 20, 0);
    const c = store.create();
    c.setHeadBytes(10);
    c.record('in', fill(10, 1), 1);
    c.record('out', fill(10, 2), 2);
    c.setHeadBytes(30);
    c.record('in', fill(10, 3), 3); // the in head is still open: it grows
    c.setHeadBytes(0);
    c.record('out', fill(10, 4), 4); // the out head closes, keeping its first chunk
    c.setHeadBytes(30);
    c.record('out', fill(10, 5), 5); // closed for good: the bytes before this one may be evicted by now
    while (c.droppedChunks < 2) c.record('in', fill(100, 9), 9);
    expect(c.list(0, 3).chunks.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(c.holds(4) || c.holds(5)).toBe(false);
  });

  it('tiny reads make a shorter head: its chunks cost their overhead within half the per-connection cap', () => {
    const store = new CaptureStore(64 * KB, 64 << 20, 256 * KB);
    const c = store.create();
    for (let i = 0; i < 10_000; i++) c.record('in', fill(1, i), i);
    const head = Math.floor((32 * KB) / cost(1));
    expect(c.gaps()).toEqual([{ direction: 'in', start: head, end: 10_000 - (c.heldChunks - head) }]);
    expect(c.accountedBytes).toBeLessThanOrEqual(64 * KB);
  });

  it('head chunks of a reused read buffer get copies of their own: no slab stays pinned by a head', () => {
    const store = new CaptureStore(1 << 20, 64 << 20, 256 * KB);
    const c = store.create();
    const read = Buffer.alloc(64 * KB);
    read.fill(1);
    expect(c.record('in', read, 1, 'recycle').recycled).toBe(false);
    read.fill(2);
    expect(c.bytesOf(1)!.equals(fill(64 * KB, 1))).toBe(true);
    for (let i = 0; i < 40; i++) c.record('in', read, 2 + i, 'recycle');
    expect(c.record('in', read, 99, 'recycle').recycled).toBe(true);
  });
});
