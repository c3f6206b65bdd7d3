// Pure helpers for the Messages tab: read badges from `reads`, and a decoded preview (text, pretty JSON or escaped).
import { decodeBase64, encodeEscaped, type Message } from '../../shared';

/** "split across N reads" for a message spanning reads; "N messages in 1 read" when its one read carried others too. */
export function readBadges(messages: readonly Message[]): Map<number, string> {
  const perRead = new Map<number, number>();
  for (const m of messages) for (const r of m.reads) perRead.set(r, (perRead.get(r) ?? 0) + 1);
  const out = new Map<number, string>();
  for (const m of messages) {
    if (m.reads.length > 1) out.set(m.index, `split across ${m.reads.length} reads`);
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
}

const PREVIEW_CHARS = 2000;

/** Base64 payload -> what a person reads: pretty JSON when it parses, UTF-8 text, else escaped bytes. */
export function previewPayload(base64: string): Preview {
  const d = decodeBase64(base64);
  const bytes = d.ok ? d.bytes : new Uint8Array();
  let kind: Preview['kind'] = 'escaped';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    kind = 'text';
    const t = text.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
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
  const truncated = text.length > PREVIEW_CHARS;
  return { kind, text: truncated ? text.slice(0, PREVIEW_CHARS) : text, truncated };
}

export const readList = (reads: readonly number[]): string =>
  reads.length === 0 ? '' : `read${reads.length > 1 ? 's' : ''} #${reads.join(', #')}`;
