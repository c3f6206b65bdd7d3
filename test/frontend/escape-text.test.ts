// UTF-8 for people: escapes for control and invalid bytes, characters split across reads carried over.
import { describe, expect, it } from 'vitest';
import { escapedString, escapeUtf8, incompleteTail } from '../../frontend/state/escape-text';
import { encodeUtf8 } from '../../shared';

const show = (bytes: Uint8Array | number[], opts?: Parameters<typeof escapeUtf8>[1]) =>
  escapedString(escapeUtf8(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), opts));

describe('escapeUtf8', () => {
  it('escapes control bytes and keeps a real line break after \\n', () => {
    const t = escapeUtf8(encodeUtf8('GET / HTTP/1.1\r\nHost: x\r\n\tz\0'));
    expect(escapedString(t)).toBe('GET / HTTP/1.1\\r\\n\nHost: x\\r\\n\n\\tz\\0');
    expect(t.parts.filter((p) => p.escape).map((p) => p.text)).toEqual(['\\r\\n', '\\r\\n', '\\t', '\\0']);
  });

  it('decodes UTF-8 and escapes invalid bytes, overlongs, surrogates and C1 controls', () => {
    expect(show(encodeUtf8('héllo → 😀'))).toBe('héllo → 😀');
    expect(show([0xff, 0x41, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xc2, 0x85, 0x7f, 0x1b])).toBe(
      '\\xff' + 'A' + '\\xc0\\xaf' + '\\xed\\xa0\\x80' + '\\u0085' + '\\x7f\\x1b',
    );
  });

  it('holds a split character for the next read, which carries it in', () => {
    const all = encodeUtf8('a€b'); // € is e2 82 ac
    const first = all.subarray(0, 2);
    const second = all.subarray(2);
    expect(incompleteTail(first)).toBe(1);
    expect(show(first, { holdTail: true })).toBe('a');
    expect(show(second, { carry: first.subarray(2 - incompleteTail(first)) })).toBe('€b');
    // Without a next read the bytes are shown as they are.
    expect(show(first)).toBe('a\\xe2');
  });

  it('finds incomplete tails only when they could still become valid', () => {
    expect(incompleteTail(new Uint8Array([0x41, 0xf0, 0x9f, 0x98]))).toBe(3);
    expect(incompleteTail(new Uint8Array([0xe2, 0x82, 0xac]))).toBe(0);
    expect(incompleteTail(new Uint8Array([0xe0, 0x80]))).toBe(0); // overlong: never valid
    expect(incompleteTail(new Uint8Array([0x80]))).toBe(0);
  });

  it('stops after `max` bytes and says how many were left out', () => {
    const t = escapeUtf8(encodeUtf8('0123456789'), { max: 4 });
    expect([escapedString(t), t.omitted]).toEqual(['0123', 6]);
  });
});
