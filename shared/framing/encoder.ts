// Frame encoders: wrap one payload so that the matching decoder cuts exactly that payload back out.
import { delimiterBytes, MAX_FRAME_BYTES, type FramingRule, type LengthRule } from './rule';

export type EncodeResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

const fail = (message: string): EncodeResult => ({ ok: false, message });

export function encodeFrame(rule: FramingRule, payload: Uint8Array): EncodeResult {
  if (payload.length > MAX_FRAME_BYTES)
    return fail(`payload is ${payload.length} bytes; the framing limit is ${MAX_FRAME_BYTES}`);
  switch (rule.kind) {
    case 'length':
      return encodeLength(rule, payload);
    case 'delimiter':
      return encodeDelimited(rule.delimiter, payload);
    case 'fixed':
      return payload.length === rule.size
        ? { ok: true, bytes: payload }
        : fail(`fixed framing needs exactly ${rule.size} bytes; the payload is ${payload.length}`);
    case 'json-header':
      return encodeJsonHeader(payload);
  }
}

/** Frames several payloads back to back (one stream). */
export function encodeFrames(rule: FramingRule, payloads: readonly Uint8Array[]): EncodeResult {
  const parts: Uint8Array[] = [];
  for (const p of payloads) {
    const r = encodeFrame(rule, p);
    if (!r.ok) return r;
    parts.push(r.bytes);
  }
  return { ok: true, bytes: concat(parts) };
}

function encodeLength(rule: LengthRule, payload: Uint8Array): EncodeResult {
  const offset = rule.offset ?? 0;
  const headerEnd = offset + rule.bytes;
  const n = rule.includesHeader ? headerEnd + payload.length : payload.length;
  if (rule.bytes < 8 && n >= 2 ** (8 * rule.bytes))
    return fail(`length ${n} does not fit in a ${rule.bytes}-byte header (max ${2 ** (8 * rule.bytes) - 1})`);
  const out = new Uint8Array(headerEnd + payload.length);
  let v = n;
  for (let i = rule.bytes - 1; i >= 0; i--) {
    out[offset + (rule.endian === 'little' ? rule.bytes - 1 - i : i)] = v % 256;
    v = Math.floor(v / 256);
  }
  out.set(payload, headerEnd);
  return { ok: true, bytes: out };
}

function encodeDelimited(escaped: string, payload: Uint8Array): EncodeResult {
  const d = delimiterBytes({ kind: 'delimiter', delimiter: escaped });
  if (!d.ok) return fail(d.message);
  const framed = concat([payload, d.bytes]);
  // Also catches a payload whose end and the delimiter's start form the delimiter early ("ab" + "aba").
  const at = indexOf(framed, d.bytes);
  if (at !== payload.length)
    return fail(`the payload contains the delimiter ${escaped} at byte ${at}: it would be cut there`);
  return { ok: true, bytes: framed };
}

/** The header the Python socket tutorial's client sends: JSON text marked as such, anything else as binary. */
function encodeJsonHeader(payload: Uint8Array): EncodeResult {
  const isJson = parsesAsJson(payload);
  const header = new TextEncoder().encode(
    JSON.stringify({
      byteorder: 'little',
      'content-type': isJson ? 'text/json' : 'binary/custom-client-binary-type',
      'content-encoding': isJson ? 'utf-8' : 'binary',
      'content-length': payload.length,
    }),
  );
  const out = new Uint8Array(2 + header.length + payload.length);
  out[0] = header.length >> 8;
  out[1] = header.length & 0xff;
  out.set(header, 2);
  out.set(payload, 2 + header.length);
  return { ok: true, bytes: out };
}

function parsesAsJson(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return true;
  } catch {
    return false;
  }
}

/** Where needle first occurs in haystack, with overlaps considered; -1 when it does not. */
function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
