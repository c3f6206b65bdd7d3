import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEscaped, decodePayload, encodeEscaped, encodePayload, type PayloadEncoding } from '../../shared';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ok = (r: ReturnType<typeof decodePayload>) => {
  if (!r.ok) throw new Error(r.message);
  return r.bytes;
};

describe('escaped text', () => {
  it('decodes every escape it documents', () => {
    expect(ok(decodeEscaped('a\\n\\r\\t\\0\\x41\\xfF\\\\\\"\\\'z'))).toEqual(
      bytes(97, 10, 13, 9, 0, 0x41, 0xff, 92, 34, 39, 122),
    );
  });

  it('encodes text outside ASCII as UTF-8 and keeps \\xNN as one raw byte', () => {
    expect(ok(decodeEscaped('é\\xe9'))).toEqual(bytes(0xc3, 0xa9, 0xe9));
    expect(ok(decodeEscaped(''))).toEqual(bytes());
  });

  it.each([
    ['ab\\q', 2, '"\\\\q"'],
    ['\\x4', 0, '"\\\\x4"'],
    ['x\\xg1', 1, '"\\\\xg1"'],
    ['abc\\', 3, 'lone backslash'],
    ['\\u0041', 0, '"\\\\u"'],
  ])('rejects %j at position %i, naming the characters', (text, position, named) => {
    const r = decodeEscaped(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.position).toBe(position);
    expect(r.message).toContain(`position ${position}`);
    expect(r.message).toContain(named);
  });

  it('encodeEscaped is the exact inverse (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(ok(decodeEscaped(encodeEscaped(b)))).toEqual(b);
      }),
    );
  });

  it('encodes readably', () => {
    expect(encodeEscaped(bytes(72, 105, 13, 10, 0, 92, 0x80))).toBe('Hi\\r\\n\\0\\\\\\x80');
  });
});

describe('decodePayload / encodePayload', () => {
  const lossless: PayloadEncoding[] = ['hex', 'base64', 'escaped'];
  it.each(lossless)('%s round-trips any bytes (property)', (encoding) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(ok(decodePayload(encodePayload(b, encoding), encoding))).toEqual(b);
      }),
    );
  });

  it('utf8 round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (s) => {
        expect(encodePayload(ok(decodePayload(s, 'utf8')), 'utf8')).toBe(s);
      }),
    );
  });

  it('hex accepts spaces and 0x prefixes', () => {
    expect(ok(decodePayload('0x48 0x69 21', 'hex'))).toEqual(bytes(0x48, 0x69, 0x21));
  });

  it.each([
    ['hex', '48 6g', 4, '"g"'],
    ['hex', '486', 2, '"6"'],
    ['base64', 'aGV*bG8=', 3, '"*"'],
    ['escaped', 'PING\\z', 4, '"\\\\z"'],
  ] as const)('%s rejects %j at position %i', (encoding, text, position, named) => {
    const r = decodePayload(text, encoding);
    expect(r).toMatchObject({ ok: false, position });
    if (!r.ok) expect(r.message).toContain(named);
  });
});
