// An unfinished frame fed one byte per read costs its bytes, not a record per read: the tail merges reads into one
// buffer and lists the reads it spanned in bounded form (the first and the last 32, and a count). Before, each read was
// a segment with a copy of its own: 900k one-byte reads of a frame within the 1 MiB budget took 258 MB of heap.
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, MAX_LISTED_READS, PendingPool, type FramingRule } from '../../shared';
import { StreamTail } from '../../shared/framing/tail';

const LEN4: FramingRule = { kind: 'length', bytes: 4 };
const NL: FramingRule = { kind: 'delimiter', delimiter: '\\n' };
const READS = 100_000;
const header = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
/** A one-byte read with an ArrayBuffer of its own, as the capture keeps a small read. */
const oneByte = (value = 0x61) => new Uint8Array([value]);
/** What `reads` lists of reads first..last (consecutive): all of them, or the first and the last half. */
const listed = (first: number, last: number): number[] => {
  const all = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const half = MAX_LISTED_READS / 2;
  return all.length <= MAX_LISTED_READS ? all : [...all.slice(0, half), ...all.slice(-half)];
};

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

describe('one-byte reads into an unfinished frame', () => {
  it(`the tail holds one buffer of about the bytes after ${READS} reads, listing ${MAX_LISTED_READS} reads and the count`, () => {
    const tail = new StreamTail();
    for (let i = 1; i <= READS; i++) {
      tail.push(oneByte(), i);
      tail.adopt(); // as the decoder does at the end of each push
    }
    expect(tail.length).toBe(READS);
    expect(tail.capacity).toBeGreaterThanOrEqual(READS);
    expect(tail.capacity).toBeLessThanOrEqual(READS * 1.25 + 256);
    expect(tail.reads()).toEqual({ reads: listed(1, READS), readCount: READS });
    expect(tail.bytes().every((b) => b === 0x61)).toBe(true);
  });

  it(`a length frame fed as a header and ${READS} one-byte reads: heap grows by about its bytes, reads bounded`, () => {
    const budget = new PendingPool(1 << 20, "this connection's unfinished frames", 'framingPendingPerConnectionBytes');
    const d = new FrameDecoder(LEN4, { maxMessageBytes: 1 << 20, budget });
    const before = heap();
    d.push(header(READS), 1);
    let cut = 0;
    for (let i = 2; i <= READS; i++) cut += d.push(oneByte(), i).length;
    expect(cut).toBe(0);
    const grown = heap() - before;
    // One buffer of the ~100 KB held (a quarter more at most) and small change; a record per read was ~2.6 KB a read.
    expect(grown, `heap grew ${grown} bytes`).toBeLessThan(512 * 1024);
    expect(d.pending()).toEqual({ start: 0, length: READS + 3, reads: listed(1, READS), readCount: READS });
    expect(budget.used).toBe(READS + 3);

    const [m, ...rest] = d.push(new Uint8Array([0x62, 0x0a]), READS + 1);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ start: 0, end: READS + 4, reads: listed(1, READS + 1), readCount: READS + 1 });
    expect(m!.data.length).toBe(READS);
    expect(d.pending()).toEqual({ start: READS + 4, length: 1, reads: [READS + 1] });
    expect(budget.used).toBe(1);
  });

  it('a delimiter rule: the same, and the lines after it decode with their own reads', () => {
    const d = new FrameDecoder(NL, { maxMessageBytes: 1 << 20 });
    const before = heap();
    for (let i = 1; i <= READS; i++) d.push(oneByte(), i);
    expect(heap() - before).toBeLessThan(512 * 1024);
    const got = d.push(new TextEncoder().encode('\nok\nx'), READS + 1);
    expect(got.map((m) => [m.data.length, m.reads, m.readCount])).toEqual([
      [READS, listed(1, READS + 1), READS + 1],
      [2, [READS + 1], undefined],
    ]);
    expect(d.pending()).toEqual({ start: READS + 4, length: 1, reads: [READS + 1] });
  });

  it('reads listed are the first and the last of those a frame spanned, however the stream is cut (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 30 }),
        (sizes, cuts) => {
          const stream: number[] = [];
          for (const n of sizes) stream.push(...header(n), ...new Array<number>(n).fill(7));
          const bytes = Uint8Array.from(stream);
          const d = new FrameDecoder(LEN4);
          const readOf: number[] = []; // the read each byte came from
          const messages = [];
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const n = Math.min(cuts[i % cuts.length]!, bytes.length - at);
            for (let k = 0; k < n; k++) readOf.push(i + 1);
            messages.push(...d.push(bytes.subarray(at, at + n), i + 1));
            at += n;
          }
          expect(messages.map((m) => m.data.length)).toEqual(sizes);
          for (const m of messages) {
            const first = readOf[m.start]!;
            const last = readOf[m.end - 1]!;
            expect(m.reads).toEqual(listed(first, last));
            expect(m.readCount).toBe(last - first + 1 > MAX_LISTED_READS ? last - first + 1 : undefined);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
