import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkFramingRule,
  contentLength,
  decodeEscaped,
  encodeFrame,
  encodeFrames,
  FrameDecoder,
  FramingRuleSchema,
  type DecodedMessage,
  type FramingRule,
} from '../../shared';
import { Compile } from 'typebox/compile';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
const frames = (rule: FramingRule, ...payloads: string[]) => {
  const r = encodeFrames(rule, payloads.map(text));
  if (!r.ok) throw new Error(r.message);
  return r.bytes;
};
/** Feeds the chunks as reads 1, 2, 3...; returns every message. */
function decode(rule: FramingRule, chunks: Uint8Array[], opts = {}): { d: FrameDecoder; messages: DecodedMessage[] } {
  const d = new FrameDecoder(rule, opts);
  const messages = chunks.flatMap((c, i) => d.push(c, i + 1));
  return { d, messages };
}
const splitAt = (bytes: Uint8Array, cuts: number[]) => {
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
};

const LEN4: FramingRule = { kind: 'length', bytes: 4, endian: 'big', includesHeader: false };

const ruleArb: fc.Arbitrary<FramingRule> = fc.oneof(
  fc.record({
    kind: fc.constant('length' as const),
    bytes: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
    endian: fc.constantFrom('big' as const, 'little' as const),
    includesHeader: fc.boolean(),
    offset: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('delimiter' as const),
    delimiter: fc.constantFrom('\\n', '\\r\\n', '\\0', 'END', '\\xff\\xfe', 'aba'),
  }),
  fc.record({ kind: fc.constant('fixed' as const), size: fc.integer({ min: 1, max: 9 }) }),
  fc.constant({ kind: 'json-header' as const }),
);

/** A rule, payloads it can frame, the framed stream and a split of it into non-empty reads. */
const streamArb = ruleArb.chain((rule) => {
  const payload =
    rule.kind === 'fixed'
      ? fc.uint8Array({ minLength: rule.size, maxLength: rule.size })
      : rule.kind === 'delimiter'
        ? fc.uint8Array({ maxLength: 30 }).filter((p) => encodeFrame(rule, p).ok)
        : fc.uint8Array({ maxLength: 60 });
  return fc.array(payload, { maxLength: 6 }).chain((payloads) => {
    const r = encodeFrames(rule, payloads);
    if (!r.ok) throw new Error(r.message);
    const stream = r.bytes;
    const cuts = fc
      .uniqueArray(fc.integer({ min: 1, max: Math.max(1, stream.length - 1) }), { maxLength: 20 })
      .map((c) => c.filter((x) => x < stream.length).sort((a, b) => a - b));
    return cuts.map((c) => ({ rule, payloads, stream, chunks: splitAt(stream, c) }));
  });
});

describe('framing: any split of an encoded stream decodes to the same messages', () => {
  it('holds for every rule (property)', () => {
    fc.assert(
      fc.property(streamArb, fc.integer({ min: 0, max: 1000 }), ({ rule, payloads, stream, chunks }, base) => {
        const { d, messages } = decode(rule, chunks, { startOffset: base });
        expect(d.error).toBeNull();
        expect(d.pending()).toBeNull();
        expect(messages.map((m) => [...m.data])).toEqual(payloads.map((p) => [...p]));
        // Frames tile the stream; reads are exactly the chunks each frame overlaps.
        const chunkStarts = chunks.map((_, i) => base + chunks.slice(0, i).reduce((n, c) => n + c.length, 0));
        let at = base;
        messages.forEach((m, i) => {
          expect(m.index).toBe(i + 1);
          expect(m.start).toBe(at);
          at = m.end;
          const expected = chunks
            .map((c, k) => ({ k: k + 1, s: chunkStarts[k]!, e: chunkStarts[k]! + c.length }))
            .filter((c) => c.s < m.end && c.e > m.start)
            .map((c) => c.k);
          expect(m.reads).toEqual(expected);
        });
        expect(at).toBe(base + stream.length);
      }),
      { numRuns: 400 },
    );
  });

  it('any proper prefix leaves exactly the rest pending (property)', () => {
    fc.assert(
      fc.property(streamArb, fc.nat(), ({ rule, stream }, n) => {
        const cut = stream.length === 0 ? 0 : n % stream.length;
        const { d, messages } = decode(rule, [stream.subarray(0, cut)]);
        const done = messages.length === 0 ? 0 : messages[messages.length - 1]!.end;
        const pending = d.pending();
        expect(pending === null ? 0 : pending.length).toBe(cut - done);
        if (pending) expect(pending.start).toBe(done);
      }),
    );
  });
});

describe('length prefix', () => {
  it('3 messages in 2 writes split mid-header: reads say which chunks each one spanned', () => {
    const stream = frames(LEN4, 'alpha', 'bravo!', 'c');
    // 9 + 10 + 5 bytes; cut inside the second message's header (offset 11).
    const { messages, d } = decode(LEN4, splitAt(stream, [11]));
    expect(messages.map((m) => [str(m.data), m.start, m.end, m.reads])).toEqual([
      ['alpha', 0, 9, [1]],
      ['bravo!', 9, 19, [1, 2]],
      ['c', 19, 24, [2]],
    ]);
    expect(messages[1]!.payloadOffset).toBe(13);
    expect(d.pending()).toBeNull();
  });

  it('byte by byte: every message spans one read per byte', () => {
    const stream = frames(LEN4, 'hi', '');
    const { messages } = decode(
      LEN4,
      [...stream].map((b) => Uint8Array.of(b)),
    );
    expect(messages.map((m) => [str(m.data), m.reads])).toEqual([
      ['hi', [1, 2, 3, 4, 5, 6]],
      ['', [7, 8, 9, 10]],
    ]);
  });

  it('little endian, header counted, fixed offset', () => {
    const rule: FramingRule = { kind: 'length', bytes: 2, endian: 'little', includesHeader: true, offset: 1 };
    const bytes = frames(rule, 'ok');
    expect([...bytes]).toEqual([0, 5, 0, 111, 107]);
    expect(decode(rule, [bytes]).messages.map((m) => str(m.data))).toEqual(['ok']);
  });

  it('a header announcing more than the limit is an error, not a buffer growing forever', () => {
    const { d, messages } = decode(LEN4, [Uint8Array.of(0, 0, 0, 2, 104, 105, 0x7f, 0xff, 0xff, 0xff, 1, 2)], {
      maxMessageBytes: 1024,
    });
    expect(messages.map((m) => str(m.data))).toEqual(['hi']);
    expect(d.error).toMatch(/announces 2147483647 bytes; the limit is 1024 \(frame at stream offset 6\)/);
    expect(d.push(new Uint8Array(5000), 2)).toEqual([]);
    expect(d.pending()?.length).toBe(6);
  });

  it('a header counting itself but shorter than itself is an error', () => {
    const rule: FramingRule = { kind: 'length', bytes: 1, endian: 'big', includesHeader: true };
    expect(decode(rule, [Uint8Array.of(0)]).d.error).toMatch(/shorter than the 1-byte header/);
  });

  it('refuses to frame a length its header cannot hold', () => {
    const r = encodeFrame({ kind: 'length', bytes: 1, endian: 'big', includesHeader: false }, new Uint8Array(256));
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/does not fit in a 1-byte header/) });
  });
});

describe('delimiter', () => {
  const CRLF: FramingRule = { kind: 'delimiter', delimiter: '\\r\\n' };
  it('a delimiter split across reads, empty messages, 2 messages in 1 read', () => {
    const { messages, d } = decode(CRLF, [text('GET\r'), text('\n\r\nA\r\nB\r\nta')]);
    expect(messages.map((m) => [str(m.data), m.start, m.end, m.reads])).toEqual([
      ['GET', 0, 5, [1, 2]],
      ['', 5, 7, [2]],
      ['A', 7, 10, [2]],
      ['B', 10, 13, [2]],
    ]);
    expect(d.pending()).toEqual({ start: 13, length: 2, reads: [2] });
  });

  it('\\0 and a multi-byte delimiter given as escaped text', () => {
    expect(decode({ kind: 'delimiter', delimiter: '\\0' }, [text('a\0b\0')]).messages.map((m) => str(m.data))).toEqual([
      'a',
      'b',
    ]);
    expect(
      decode({ kind: 'delimiter', delimiter: '\\xff\\xfe' }, [Uint8Array.of(1, 0xff, 0xff, 0xfe)]).messages.map((m) => [
        ...m.data,
      ]),
    ).toEqual([[1, 0xff]]);
  });

  it('no delimiter within the limit is an error', () => {
    const { d } = decode(CRLF, [new Uint8Array(100)], { maxMessageBytes: 64 });
    expect(d.error).toMatch(/no delimiter within 64 bytes/);
  });

  it('refuses to frame a payload containing the delimiter, or forming it with the delimiter', () => {
    expect(encodeFrame(CRLF, text('a\r\nb'))).toMatchObject({ ok: false, message: expect.stringMatching(/at byte 1/) });
    expect(encodeFrame({ kind: 'delimiter', delimiter: 'aba' }, text('ab')).ok).toBe(false);
  });

  it('a delimiter that is not valid escaped text is named by checkFramingRule', () => {
    expect(checkFramingRule({ kind: 'delimiter', delimiter: '\\q' })).toMatch(
      /delimiter: unknown escape "\\\\q" at position 0/,
    );
    expect(checkFramingRule(CRLF)).toBeNull();
  });
});

describe('fixed size', () => {
  it('cuts every size bytes', () => {
    const { messages, d } = decode({ kind: 'fixed', size: 3 }, [text('abcd'), text('ef'), text('g')]);
    expect(messages.map((m) => [str(m.data), m.reads])).toEqual([
      ['abc', [1]],
      ['def', [1, 2]],
    ]);
    expect(d.pending()).toEqual({ start: 6, length: 1, reads: [3] });
  });
});

describe('json-header (the Python socket tutorial)', () => {
  const rule: FramingRule = { kind: 'json-header' };
  const tutorial = (header: object, content: string) => {
    const h = text(JSON.stringify(header));
    const c = text(content);
    return Uint8Array.from([h.length >> 8, h.length & 255, ...h, ...c]);
  };

  it('decodes what the tutorial client sends, key names case-insensitive', () => {
    const a = tutorial(
      { byteorder: 'little', 'content-type': 'text/json', 'content-encoding': 'utf-8', 'content-length': 17 },
      '{"action":"ping"}',
    );
    const b = tutorial({ 'Content-Length': 2 }, 'hi');
    const stream = Uint8Array.from([...a, ...b]);
    const { messages } = decode(rule, splitAt(stream, [1, 40, a.length + 3]));
    expect(messages.map((m) => str(m.data))).toEqual(['{"action":"ping"}', 'hi']);
    expect(messages[0]!.reads).toEqual([1, 2, 3]);
  });

  it('encodes the four headers the tutorial server requires', () => {
    const r = encodeFrame(rule, text('{"value":1}'));
    if (!r.ok) throw new Error(r.message);
    const length = (r.bytes[0]! << 8) | r.bytes[1]!;
    expect(JSON.parse(str(r.bytes.subarray(2, 2 + length)))).toEqual({
      byteorder: 'little',
      'content-type': 'text/json',
      'content-encoding': 'utf-8',
      'content-length': 11,
    });
  });

  it.each([
    [tutorial({ length: 2 }, 'hi'), /no content-length/],
    [tutorial({ 'content-length': -1 }, ''), /not a non-negative integer/],
    [Uint8Array.from([0, 3, ...text('{x}')]), /does not parse/],
    [Uint8Array.from([0, 0]), /header length is 0/],
  ])('a bad header is an error (%#)', (bytes, message) => {
    expect(decode(rule, [bytes]).d.error).toMatch(message);
  });

  it('content-length over the limit is an error', () => {
    expect(contentLength(text('{"content-length": 5}'))).toBe(5);
    expect(decode(rule, [tutorial({ 'content-length': 1e9 }, '')]).d.error).toMatch(/over the limit/);
  });
});

describe('FramingRuleSchema', () => {
  const check = Compile(FramingRuleSchema);
  it.each([
    { kind: 'length', bytes: 4, endian: 'big', includesHeader: false },
    { kind: 'length', bytes: 8 },
    { kind: 'delimiter', delimiter: '\\n' },
    { kind: 'fixed', size: 16 },
    { kind: 'json-header' },
  ])('accepts %j', (rule) => expect(check.Check(rule)).toBe(true));
  it.each([
    { kind: 'length', bytes: 3 },
    { kind: 'length', bytes: 4, extra: 1 },
    { kind: 'delimiter', delimiter: '' },
    { kind: 'fixed', size: 0 },
    { kind: 'fixed', size: 16 * 1024 * 1024 + 1 },
    { kind: 'json' },
  ])('rejects %j', (rule) => expect(check.Check(rule)).toBe(false));
  it('delimiters decode as escaped text', () =>
    expect([...(decodeEscaped('\\r\\n') as { bytes: Uint8Array }).bytes]).toEqual([13, 10]));
});
