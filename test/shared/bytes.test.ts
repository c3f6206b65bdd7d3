import { describe, expect, it } from 'vitest';
import {
  bytesToBase64,
  bytesToHex,
  decodeBase64,
  decodeHex,
  decodePayload,
  escapePreview,
  type DecodeResult,
} from '../../shared';

// Small deterministic PRNG (mulberry32) so a failure is reproducible.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(0x5eed);
const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
const samples = [
  ...Array.from({ length: 11 }, (_, n) => randomBytes(n)),
  ...Array.from({ length: 40 }, () => randomBytes(Math.floor(random() * 300))),
  new Uint8Array([0, 0, 0]),
  new Uint8Array([255, 255, 255, 255]),
  Uint8Array.from({ length: 256 }, (_, i) => i),
];

function bytesOf(r: DecodeResult): Uint8Array {
  if (!r.ok) throw new Error(`expected ok, got: ${r.message}`);
  return r.bytes;
}
function failure(r: DecodeResult): { position: number; message: string } {
  if (r.ok) throw new Error(`expected a failure, got ${bytesToHex(r.bytes)}`);
  return r;
}

describe('base64', () => {
  it.each(samples.map((s) => [s.length, s] as const))('round-trips %i random bytes like Buffer', (_n, bytes) => {
    const nodeText = Buffer.from(bytes).toString('base64');
    expect(bytesToBase64(bytes)).toBe(nodeText);
    expect(Array.from(bytesOf(decodeBase64(nodeText)))).toEqual(Array.from(bytes));
  });

  it('accepts base64url and missing padding', () => {
    for (const bytes of samples) {
      const url = Buffer.from(bytes).toString('base64url');
      expect(Array.from(bytesOf(decodeBase64(url)))).toEqual(Array.from(bytes));
    }
    expect(Array.from(bytesOf(decodeBase64('-_8')))).toEqual([0xfb, 0xff]);
  });

  it('ignores whitespace anywhere', () => {
    const text = Buffer.from('hello, sockets').toString('base64');
    const spaced = ` ${text.slice(0, 4)}\n${text.slice(4, 9)}\t ${text.slice(9)}\r\n`;
    expect(new TextDecoder().decode(bytesOf(decodeBase64(spaced)))).toBe('hello, sockets');
    expect(bytesOf(decodeBase64('  \n')).length).toBe(0);
  });

  it('rejects a bad character, naming its position', () => {
    const bad = failure(decodeBase64('aGVs*G8='));
    expect(bad.position).toBe(4);
    expect(bad.message).toMatch(/position 4/);
    expect(failure(decodeBase64('aGVsbG8é')).position).toBe(7);
    expect(failure(decodeBase64('aGV.')).message).toMatch(/"\."/);
  });

  it('rejects padding before the end, naming where the padding starts', () => {
    const bad = failure(decodeBase64('aGk=aGk='));
    expect(bad.position).toBe(3);
    expect(bad.message).toMatch(/position 3/);
    expect(failure(decodeBase64('=aGk')).position).toBe(0);
  });

  it('rejects a length that ends in the middle of a byte', () => {
    const bad = failure(decodeBase64('aGVsb'));
    expect(bad.position).toBe(5);
    expect(failure(decodeBase64('a')).position).toBe(1);
  });
});

describe('hex', () => {
  const hi = [0x48, 0x69];
  it.each(['4869', '48 69', '48:69', '0x48 0x69', '0X480X69', '  48\n69 ', '48,69', '0x4869'])('reads %j', (text) => {
    expect(Array.from(bytesOf(decodeHex(text)))).toEqual(hi);
  });

  it('reads upper and lower case and matches Buffer', () => {
    const bytes = randomBytes(64);
    const text = Buffer.from(bytes).toString('hex');
    expect(Array.from(bytesOf(decodeHex(text.toUpperCase())))).toEqual(Array.from(bytes));
    expect(bytesToHex(bytes)).toBe(text);
    expect(bytesToHex(new Uint8Array([1, 2, 255]), ' ')).toBe('01 02 ff');
    expect(bytesOf(decodeHex('')).length).toBe(0);
  });

  it('rejects an odd number of digits, naming the lonely digit', () => {
    const bad = failure(decodeHex('48 6'));
    expect(bad.position).toBe(3);
    expect(bad.message).toMatch(/position 3/);
    const split = failure(decodeHex('4 869'));
    expect(split.position).toBe(0);
    expect(split.message).toMatch(/position 0/);
  });

  it('rejects a bad character, naming its position', () => {
    const bad = failure(decodeHex('48 6g'));
    expect(bad.position).toBe(4);
    expect(bad.message).toMatch(/"g".*position 4/);
    expect(failure(decodeHex('0x4z')).position).toBe(3);
    expect(failure(decodeHex('48-69')).position).toBe(2);
  });
});

describe('decodePayload', () => {
  it('dispatches on the encoding', () => {
    expect(Array.from(bytesOf(decodePayload('Hi', 'utf8')))).toEqual(hi());
    expect(Array.from(bytesOf(decodePayload('4869', 'hex')))).toEqual(hi());
    expect(Array.from(bytesOf(decodePayload('SGk=', 'base64')))).toEqual(hi());
    expect(Array.from(bytesOf(decodePayload('é', 'utf8')))).toEqual([0xc3, 0xa9]);
  });
  const hi = () => [0x48, 0x69];
});

describe('escapePreview', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('keeps printable ASCII and escapes the rest', () => {
    expect(escapePreview(enc('GET / HTTP/1.1\r\n'))).toBe('GET / HTTP/1.1\\r\\n');
    expect(escapePreview(new Uint8Array([0, 9, 0x7f, 0x80, 0xff, 0x5c, 0x41]))).toBe('\\x00\\t\\x7f\\x80\\xff\\\\A');
    expect(escapePreview(new Uint8Array())).toBe('');
  });

  it('cuts at max and marks the cut', () => {
    expect(escapePreview(enc('abcdef'), 3)).toBe('abc…');
    expect(escapePreview(enc('abc'), 3)).toBe('abc');
    expect(escapePreview(enc('x'.repeat(100)))).toBe('x'.repeat(64) + '…');
  });
});
