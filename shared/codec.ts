// Payload codecs, one module for backend and browser: text <-> bytes in utf8, hex, base64 and escaped text.
import { bytesToBase64, bytesToHex, decodeBase64, decodeHex, encodeUtf8, type DecodeResult } from './bytes';
import type { PayloadEncoding } from './rest';

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, '"': 34, "'": 39 };
const HEX_DIGIT = /^[0-9a-fA-F]$/;

const fail = (position: number, message: string): DecodeResult => ({ ok: false, position, message });

/**
 * Escaped text: `\n \r \t \0 \xNN \\` (and harmless `\"` `\'`); everything else is its UTF-8 bytes.
 * Any other backslash sequence is an error naming its position and characters.
 */
export function decodeEscaped(text: string): DecodeResult {
  const out: number[] = [];
  let literalFrom = 0;
  const flush = (to: number) => {
    if (to > literalFrom) for (const b of encodeUtf8(text.slice(literalFrom, to))) out.push(b);
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') continue;
    flush(i);
    const next = text[i + 1];
    if (next === undefined) return fail(i, `lone backslash at position ${i} (end of text): write \\\\ for a backslash`);
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out.push(simple);
      i += 1;
    } else if (next === 'x') {
      const digits = text.slice(i + 2, i + 4);
      if (digits.length < 2 || !HEX_DIGIT.test(digits[0]!) || !HEX_DIGIT.test(digits[1]!))
        return fail(i, `bad escape ${JSON.stringify(text.slice(i, i + 4))} at position ${i}: \\x needs two hex digits`);
      out.push(parseInt(digits, 16));
      i += 3;
    } else {
      return fail(
        i,
        `unknown escape ${JSON.stringify('\\' + next)} at position ${i}: use \\n \\r \\t \\0 \\xNN or \\\\`,
      );
    }
    literalFrom = i + 1;
  }
  flush(text.length);
  return { ok: true, bytes: Uint8Array.from(out) };
}

/** The inverse of decodeEscaped: printable ASCII as is, `\n \r \t \0 \\`, every other byte as `\xNN`. */
export function encodeEscaped(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 10) out += '\\n';
    else if (b === 13) out += '\\r';
    else if (b === 9) out += '\\t';
    else if (b === 0) out += '\\0';
    else if (b === 92) out += '\\\\';
    else if (b >= 32 && b < 127) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

/** Text -> bytes in the given encoding; nothing is guessed, errors name the position and characters. */
export function decodePayload(data: string, encoding: PayloadEncoding): DecodeResult {
  switch (encoding) {
    case 'utf8':
      return { ok: true, bytes: encodeUtf8(data) };
    case 'hex':
      return decodeHex(data);
    case 'base64':
      return decodeBase64(data);
    case 'escaped':
      return decodeEscaped(data);
  }
}

/** Bytes -> text in the given encoding (utf8 replaces invalid sequences with U+FFFD, so it alone is lossy). */
export function encodePayload(bytes: Uint8Array, encoding: PayloadEncoding): string {
  switch (encoding) {
    case 'utf8':
      return new TextDecoder().decode(bytes);
    case 'hex':
      return bytesToHex(bytes, ' ');
    case 'base64':
      return bytesToBase64(bytes);
    case 'escaped':
      return encodeEscaped(bytes);
  }
}

/** Like decodePayload, but throws an Error with the message (for trusted callers such as rule parsing). */
export function payloadBytes(data: string, encoding: PayloadEncoding): Uint8Array {
  const r = decodePayload(data, encoding);
  if (!r.ok) throw new Error(r.message);
  return r.bytes;
}
