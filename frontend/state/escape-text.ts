// Bytes as UTF-8 text for people: printable characters as is; control bytes, C1 controls and invalid bytes escaped
// (\r \n \t \0 \xNN \u0085); a character split across two reads can be carried into the next one.

export interface TextPart {
  readonly text: string;
  /** An escape sequence standing for bytes, styled apart from real text. */
  readonly escape: boolean;
}

export interface EscapedText {
  parts: TextPart[];
  /** Bytes (of the input, not counting the carry) left out because of `max`. */
  omitted: number;
}

const hex2 = (b: number): string => (b < 16 ? '0' : '') + b.toString(16);
const NAMED: Record<number, string> = { 0: '\\0', 9: '\\t', 10: '\\n', 13: '\\r' };

/** Sequence length announced by a lead byte, or 0 when it cannot start one. */
const seqLength = (b: number): number =>
  b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;

/** Whether byte k (1-based) after lead `lead` is a valid continuation (with UTF-8's overlong/surrogate limits). */
function validContinuation(lead: number, k: number, b: number): boolean {
  if (k === 1) {
    if (lead === 0xe0) return b >= 0xa0 && b <= 0xbf;
    if (lead === 0xed) return b >= 0x80 && b <= 0x9f;
    if (lead === 0xf0) return b >= 0x90 && b <= 0xbf;
    if (lead === 0xf4) return b >= 0x80 && b <= 0x8f;
  }
  return b >= 0x80 && b <= 0xbf;
}

/** How many trailing bytes form the valid start of a character that the next read would complete (0-3). */
export function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const i = bytes.length - back;
    const need = seqLength(bytes[i]!);
    if (need === 0) {
      if (bytes[i]! >= 0x80 && bytes[i]! <= 0xbf) continue; // a continuation byte: look further back
      return 0;
    }
    if (need <= back) return 0;
    for (let k = 1; k < back; k++) if (!validContinuation(bytes[i]!, k, bytes[i + k]!)) return 0;
    return back;
  }
  return 0;
}

class Parts {
  readonly parts: TextPart[] = [];
  private text = '';
  add(s: string): void {
    this.text += s;
  }
  esc(s: string): void {
    if (this.text) this.parts.push({ text: this.text, escape: false });
    this.text = '';
    const last = this.parts.at(-1);
    if (last?.escape) this.parts[this.parts.length - 1] = { text: last.text + s, escape: true };
    else this.parts.push({ text: s, escape: true });
  }
  done(): TextPart[] {
    if (this.text) this.parts.push({ text: this.text, escape: false });
    return this.parts;
  }
}

/**
 * Decodes `bytes` (after `carry`, the held tail of the previous read in that direction). With `holdTail`, an
 * incomplete character at the end is left for the next read; without it, its bytes are escaped.
 */
export function escapeUtf8(
  bytes: Uint8Array,
  opts: { carry?: Uint8Array; holdTail?: boolean; max?: number } = {},
): EscapedText {
  const carry = opts.carry ?? new Uint8Array(0);
  const all = carry.length ? new Uint8Array(carry.length + bytes.length) : bytes;
  if (carry.length) {
    all.set(carry);
    all.set(bytes, carry.length);
  }
  const limit = Math.min(all.length, carry.length + (opts.max ?? Infinity));
  const stopAt = opts.holdTail && limit === all.length ? all.length - incompleteTail(all) : limit;
  const out = new Parts();
  let i = 0;
  while (i < stopAt) {
    const b = all[i]!;
    if (b < 0x80) {
      if (b >= 0x20 && b < 0x7f) out.add(String.fromCharCode(b));
      else {
        out.esc(NAMED[b] ?? `\\x${hex2(b)}`);
        if (b === 10) out.add('\n');
      }
      i++;
      continue;
    }
    const need = seqLength(b);
    let ok = need > 0 && i + need <= stopAt;
    for (let k = 1; ok && k < need; k++) ok = validContinuation(b, k, all[i + k]!);
    if (!ok) {
      out.esc(`\\x${hex2(b)}`);
      i++;
      continue;
    }
    let cp = b & (need === 2 ? 0x1f : need === 3 ? 0x0f : 0x07);
    for (let k = 1; k < need; k++) cp = (cp << 6) | (all[i + k]! & 0x3f);
    if (cp < 0xa0)
      out.esc(`\\u${cp.toString(16).padStart(4, '0')}`); // C1 controls
    else out.add(String.fromCodePoint(cp));
    i += need;
  }
  return { parts: out.done(), omitted: all.length - limit };
}

/** Plain-string form (escapes inline), for titles and tests. */
export const escapedString = (t: EscapedText): string => t.parts.map((p) => p.text).join('');
