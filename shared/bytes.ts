// Payload codecs shared by backend and browser: no Buffer here, only Uint8Array.
export type DecodeResult = { ok: true; bytes: Uint8Array } | { ok: false; position: number; message: string };

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;
B64_INDEX['-'.charCodeAt(0)] = 62; // base64url accepted on input
B64_INDEX['_'.charCodeAt(0)] = 63;

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Strict base64 (or base64url); whitespace ignored; padding optional but never in the middle. */
export function decodeBase64(text: string): DecodeResult {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let acc = 0;
  let bits = 0;
  let n = 0;
  let padAt = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (c === 61) {
      if (padAt < 0) padAt = i;
      continue;
    }
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0)
      return {
        ok: false,
        position: i,
        message: `invalid base64 character ${JSON.stringify(text[i])} at position ${i}`,
      };
    if (padAt >= 0)
      return { ok: false, position: padAt, message: `base64 padding '=' at position ${padAt} before the end` };
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  if (bits >= 6)
    return { ok: false, position: text.length, message: 'base64 ends in the middle of a byte (length is not valid)' };
  return { ok: true, bytes: out.subarray(0, n) };
}

/** Hex pairs; spaces, ':' separators and 0x prefixes allowed ("0x48 0x69", "48:69", "4869"). */
export function decodeHex(text: string): DecodeResult {
  const out = new Uint8Array(Math.ceil(text.length / 2));
  let n = 0;
  let high = -1;
  let highAt = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === ':' || ch === ',') {
      if (high >= 0)
        return {
          ok: false,
          position: highAt,
          message: `odd hex digit ${JSON.stringify(text[highAt])} at position ${highAt}: hex needs two digits per byte`,
        };
      continue;
    }
    if (ch === '0' && high < 0 && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
      i++;
      continue;
    }
    const v = parseInt(ch, 16);
    if (Number.isNaN(v))
      return { ok: false, position: i, message: `invalid hex character ${JSON.stringify(ch)} at position ${i}` };
    if (high < 0) {
      high = v;
      highAt = i;
    } else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  if (high >= 0)
    return {
      ok: false,
      position: highAt,
      message: `odd number of hex digits: ${JSON.stringify(text[highAt])} at position ${highAt} has no partner`,
    };
  return { ok: true, bytes: out.subarray(0, n) };
}

export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function bytesToHex(bytes: Uint8Array, separator = ''): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++)
    out += (i && separator ? separator : '') + bytes[i]!.toString(16).padStart(2, '0');
  return out;
}

/** A short readable preview: printable ASCII as is, everything else escaped. */
export function escapePreview(bytes: Uint8Array, max = 64): string {
  let out = '';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 10) out += '\\n';
    else if (b === 13) out += '\\r';
    else if (b === 9) out += '\\t';
    else if (b === 92) out += '\\\\';
    else if (b >= 32 && b < 127) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return bytes.length > max ? out + '…' : out;
}
