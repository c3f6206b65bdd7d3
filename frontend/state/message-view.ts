// Pure helpers for the Messages tab: read badges from `reads`, and a decoded preview (text, pretty JSON or escaped).
import { decodeBase64, encodeEscaped, type Message } from '../../shared';
import { plural } from '../format';

/** "split across N reads" for a message spanning reads; "N messages in 1 read" when its one read carried others too. */
export function readBadges(messages: readonly Message[]): Map<number, string> {
  const perRead = new Map<number, number>();
  for (const m of messages) for (const r of m.reads) perRead.set(r, (perRead.get(r) ?? 0) + 1);
  const out = new Map<number, string>();
  for (const m of messages) {
    const count = m.readCount ?? m.reads.length;
    if (count > 1) out.set(m.index, `split across ${plural(count, 'read')}`);
    else if (m.reads.length === 1) {
      const n = perRead.get(m.reads[0]!) ?? 1;
      if (n > 1) out.set(m.index, `${n} messages in 1 read`);
    }
  }
  return out;
}

export interface Preview {
  kind: 'json' | 'text' | 'escaped';
  text: string;
  truncated: boolean;
  /** Payload bytes the preview leaves out (cut here, or already by the server as for a pending tail). */
  moreBytes: number;
}

/** Payload bytes a preview shows at most. */
export const PREVIEW_BYTES = 2000;

/** Where to cut `bytes` at most `max` long without splitting a UTF-8 character. */
function cutAt(bytes: Uint8Array, max: number): number {
  if (bytes.length <= max) return bytes.length;
  let at = max;
  // Back off continuation bytes (10xxxxxx), at most three: a character is at most four bytes.
  for (let k = 0; k < 3 && at > 0 && (bytes[at]! & 0xc0) === 0x80; k++) at--;
  return at;
}

/**
 * Base64 payload -> what a person reads: pretty JSON when the whole payload parses, UTF-8 text, else escaped bytes.
 * `length`: the payload's full size when `base64` holds only its first bytes.
 */
export function previewPayload(base64: string, length?: number): Preview {
  const d = decodeBase64(base64);
  const all = d.ok ? d.bytes : new Uint8Array();
  const bytes = all.subarray(0, cutAt(all, PREVIEW_BYTES));
  const moreBytes = Math.max(length ?? 0, all.length) - bytes.length;
  let kind: Preview['kind'] = 'escaped';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    kind = 'text';
    const t = text.trim();
    if (moreBytes === 0 && (t.startsWith('{') || t.startsWith('['))) {
      try {
        text = JSON.stringify(JSON.parse(t), null, 2);
        kind = 'json';
      } catch {
        // not JSON: plain text
      }
    }
  } catch {
    text = encodeEscaped(bytes);
  }
  if (kind === 'text' && bytes.some((b) => (b < 32 && b !== 9 && b !== 10 && b !== 13) || b === 127)) {
    text = encodeEscaped(bytes);
    kind = 'escaped';
  }
  return { kind, text, truncated: moreBytes > 0, moreBytes };
}

/** What a cut preview says after its text: `… (N more bytes)`; empty when nothing was left out. */
export const moreText = (p: Preview): string => (p.moreBytes > 0 ? `… (${plural(p.moreBytes, 'more byte')})` : '');

/** "reads #3, #4"; a list the server cut (readCount) says how many it left out: "reads #1, #2, … 99,936 more …, #99999". */
export function readList(spanned: { reads: readonly number[]; readCount?: number }): string {
  const { reads } = spanned;
  if (reads.length === 0) return '';
  const count = spanned.readCount ?? reads.length;
  const names = reads.map((r) => `#${r}`);
  if (count > reads.length) names.splice(reads.length >>> 1, 0, `… ${plural(count - reads.length, 'more', 'more')} …`);
  return `read${count > 1 ? 's' : ''} ${names.join(', ')}`;
}
