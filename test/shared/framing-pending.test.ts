// What decoders hold of unfinished frames is bounded (per connection, then in total); a frame past the bound is a
// framing error with its bytes dropped and counted, never a buffer growing with the frame.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrames, FrameDecoder, PendingPool, type FramingRule } from '../../shared';

const LEN4: FramingRule = { kind: 'length', bytes: 4 };
const NL: FramingRule = { kind: 'delimiter', delimiter: '\\n' };
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
const header = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

/** A pool per connection under one shared total, as the inspector sets them up. */
function pools(perConnection: number, total: number, connections = 1) {
  const all = new PendingPool(total, 'unfinished frames of all connections', 'framingPendingTotalBytes');
  const each = Array.from(
    { length: connections },
    () =>
      new PendingPool(perConnection, "this connection's unfinished frames", 'framingPendingPerConnectionBytes', all),
  );
  return { all, each };
}

describe('PendingPool', () => {
  it('grants within its limit and its parent, refuses past either (taking nothing), gives back to both', () => {
    const { all, each } = pools(10, 15, 2);
    const [a, b] = each as [PendingPool, PendingPool];
    expect(a.take(10)).toBeNull();
    expect(a.take(1)).toMatch(/this connection's unfinished frames would hold 11 bytes; the limit is 10/);
    expect(b.take(6)).toMatch(/all connections would hold 16 bytes; the limit is 15 \(framingPendingTotalBytes\)/);
    expect([a.used, b.used, all.used]).toEqual([10, 0, 10]);
    a.give(4);
    expect(b.take(6)).toBeNull();
    expect([a.used, b.used, all.used]).toEqual([6, 6, 12]);
  });
});

describe('decoders under a pending budget', () => {
  it('a length header announcing more than the limit is an error at once: nothing is buffered, later bytes counted', () => {
    const { all, each } = pools(1 << 20, 4 << 20);
    const d = new FrameDecoder(LEN4, {
      maxMessageBytes: 1 << 20,
      maxMessageName: 'framingPendingPerConnectionBytes',
      budget: each[0],
    });
    const first = new Uint8Array(64 * 1024);
    first.set(header(16 << 20));
    expect(d.push(first, 1)).toEqual([]);
    expect(d.error).toBe(
      'length header announces 16777216 bytes; the limit is 1048576 (framingPendingPerConnectionBytes) (frame at stream offset 0)',
    );
    // The read that carried the header stays as the pending preview; it fits the budget.
    expect([d.pending()?.length, all.used]).toEqual([first.length, first.length]);
    for (let i = 2; i < 100; i++) d.push(new Uint8Array(64 * 1024), i);
    expect(d.droppedBytes).toBe(98 * 64 * 1024);
    expect(all.used).toBe(first.length);
    d.close();
    expect([d.pending(), all.used]).toEqual([null, 0]);
  });

  it('a frame within the size limit but past what the connection may hold: dropped and counted, budget given back', () => {
    const { all, each } = pools(1000, 10_000);
    const d = new FrameDecoder(LEN4, { maxMessageBytes: 5000, budget: each[0] });
    expect(d.push(header(3000), 1)).toEqual([]);
    expect(d.push(new Uint8Array(900), 2)).toEqual([]);
    expect(all.used).toBe(904);
    expect(d.push(new Uint8Array(200), 3)).toEqual([]);
    expect(d.error).toMatch(
      /^unfinished frame dropped: this connection's unfinished frames would hold 1104 bytes; the limit is 1000 \(framingPendingPerConnectionBytes\) \(frame at stream offset 0\)$/,
    );
    expect([d.pending(), d.droppedBytes, all.used]).toEqual([null, 1104, 0]);
  });

  it('the total is shared: the connection whose frame passes it gets the error, the others decode on', () => {
    const { all, each } = pools(1000, 1500, 2);
    const a = new FrameDecoder(LEN4, { budget: each[0] });
    const b = new FrameDecoder(LEN4, { budget: each[1] });
    a.push(header(900), 1);
    a.push(new Uint8Array(800), 2);
    b.push(header(900), 1);
    b.push(new Uint8Array(800), 2);
    expect(a.error).toBeNull();
    expect(b.error).toMatch(/all connections would hold 1608 bytes; the limit is 1500 \(framingPendingTotalBytes\)/);
    expect(all.used).toBe(804);
    expect(a.push(new Uint8Array(100), 3).map((m) => m.data.length)).toEqual([900]);
    expect(all.used).toBe(0);
  });

  it('a run without a delimiter longer than the limit is an error; complete lines in the same read are cut first', () => {
    const { all, each } = pools(100, 1000);
    const d = new FrameDecoder(NL, { maxMessageBytes: 100, budget: each[0] });
    const got = d.push(text(`one\ntwo\n${'x'.repeat(90)}`), 1);
    expect(got.map((m) => str(m.data))).toEqual(['one', 'two']);
    expect([d.error, all.used]).toEqual([null, 90]);
    d.push(text('x'.repeat(20)), 2);
    expect(d.error).toMatch(/would hold 110 bytes; the limit is 100/);
    expect([d.droppedBytes, all.used]).toEqual([110, 0]);
  });

  it('fixed messages larger than the limit are an error once bytes come', () => {
    const d = new FrameDecoder({ kind: 'fixed', size: 1 << 20 }, { maxMessageBytes: 1000 });
    expect(d.error).toBeNull();
    d.push(new Uint8Array(1), 1);
    expect(d.error).toMatch(/fixed messages of 1048576 bytes; the limit is 1000/);
  });

  it('held bytes always equal the pending tail, whatever the reads (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 40 }),
        (sizes, cuts) => {
          const { all, each } = pools(256, 256);
          const encoded = encodeFrames(
            LEN4,
            sizes.map((n) => new Uint8Array(n).fill(7)),
          );
          if (!encoded.ok) throw new Error(encoded.message);
          const d = new FrameDecoder(LEN4, { budget: each[0] });
          let at = 0;
          for (let i = 0; at < encoded.bytes.length; i++) {
            const n = cuts[i % cuts.length]!;
            d.push(encoded.bytes.subarray(at, at + n), i + 1);
            at += n;
            expect(all.used).toBe(d.pending()?.length ?? 0);
            expect(all.used).toBeLessThanOrEqual(256);
          }
        },
      ),
    );
  });
});

describe('gap and close', () => {
  it('a gap drops the partial frame before it (counted) and decoding starts afresh after it', () => {
    const d = new FrameDecoder(NL);
    expect(d.push(text('hello\nwor'), 1).map((m) => str(m.data))).toEqual(['hello']);
    expect(d.gap(100)).toBe(91);
    expect(d.droppedBytes).toBe(3);
    const got = d.push(text('xx\nbye\n'), 2);
    expect(got.map((m) => [m.index, m.start, str(m.data)])).toEqual([
      [2, 100, 'xx'],
      [3, 103, 'bye'],
    ]);
    expect(d.gap(50)).toBe(0); // not ahead: nothing skipped
  });
});
