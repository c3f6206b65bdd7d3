// What the responder does to a typed reply under the connection's framing rule, in words, before it ever fires.
// It frames replies with the shared encodeFrame, exactly as the server does: the delimiter (or a length prefix, a JSON
// header) is always added, and a reply the rule cannot carry (one that already ends with the delimiter, a fixed size
// it does not have) is refused when the rule fires, with the reason in the responders' lastError.
import {
  decodePayload,
  delimiterBytes,
  describeFramingRule,
  encodeEscaped,
  encodeFrame,
  type FramingRule,
  type PayloadEncoding,
} from '../../shared';
import { plural } from '../format';

export interface ReplyHint {
  tone: 'note' | 'problem';
  text: string;
}

/** Shown bytes of the framed reply; longer ones end with how many more there are. */
const SHOWN_BYTES = 120;

function added(rule: FramingRule): string {
  switch (rule.kind) {
    case 'delimiter':
      return `The delimiter ${rule.delimiter} is added`;
    case 'length':
      return `A ${describeFramingRule(rule)} is added`;
    case 'fixed':
      return `Nothing is added (fixed ${rule.size}-byte messages)`;
    case 'json-header':
      return 'A JSON header (2-byte length, content-length) is added';
  }
}

function shown(bytes: Uint8Array): string {
  const head = encodeEscaped(bytes.subarray(0, SHOWN_BYTES));
  return bytes.length > SHOWN_BYTES ? `${head}… (${plural(bytes.length - SHOWN_BYTES, 'more byte')})` : head;
}

const indexOf = (bytes: Uint8Array, needle: Uint8Array): number => {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let k = 0; k < needle.length; k++) if (bytes[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
};

/** The reply's literal parts decoded as the server decodes them: `$$` is a dollar, `$1`..`$9` a capture. */
function literalParts(data: string, encoding: PayloadEncoding): { parts: Uint8Array[]; captures: boolean } | null {
  const parts: Uint8Array[] = [];
  let captures = false;
  let at = 0;
  const literal = (text: string) => {
    if (text === '') return true;
    const d = decodePayload(text, encoding);
    if (d.ok) parts.push(d.bytes);
    return d.ok;
  };
  for (const hole of data.matchAll(/\$(\$|\d)/g)) {
    if (!literal(data.slice(at, hole.index))) return null;
    if (hole[1] === '$') parts.push(new Uint8Array([36]));
    else {
      captures = true;
      parts.push(new Uint8Array()); // a capture: its bytes are known only when the rule fires
    }
    at = hole.index + hole[0].length;
  }
  if (!literal(data.slice(at))) return null;
  return { parts, captures };
}

const concat = (parts: readonly Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

// Typed in utf8, `\n` is a backslash and an n: the escaped encoding is what makes it a newline.
const looksEscaped = (data: string, encoding: PayloadEncoding) =>
  encoding === 'utf8' && /\\(n|r|t|0|x[0-9a-f]{2})/i.test(data);

/** null when there is nothing to say: no rule, no reply, or a reply the encoding cannot decode (Save reports that). */
export function replyHint(
  data: string,
  encoding: PayloadEncoding,
  rule: FramingRule | null | undefined,
): ReplyHint | null {
  if (!rule || data === '') return null;
  const decoded = literalParts(data, encoding);
  if (!decoded) return null;
  const utf8Note = looksEscaped(data, encoding)
    ? ' (in utf8 a typed \\n is two characters, \\ and n: choose escaped to send a newline)'
    : '';
  if (rule.kind === 'delimiter') {
    const d = delimiterBytes(rule);
    const tail = decoded.parts.at(-1) ?? new Uint8Array();
    const at = d.ok ? tail.length - d.bytes.length : -1;
    if (d.ok && at >= 0 && indexOf(tail.subarray(at), d.bytes) === 0)
      return {
        tone: 'problem',
        text: `This reply already ends with the delimiter ${rule.delimiter}: the responder adds the delimiter to every reply and refuses a reply that contains it, so this one is never sent. Leave the final ${rule.delimiter} out.`,
      };
    if (d.ok && decoded.parts.some((p) => indexOf(p, d.bytes) >= 0))
      return {
        tone: 'problem',
        text: `This reply contains the delimiter ${rule.delimiter}: the peer would read it as two messages, so the responder refuses to send it.`,
      };
  }
  if (decoded.captures)
    return { tone: 'note', text: `${added(rule)} to each reply once its $n are filled in.${utf8Note}` };
  const framed = encodeFrame(rule, concat(decoded.parts));
  if (!framed.ok) return { tone: 'problem', text: `Refused when the rule fires: ${framed.message}.` };
  return { tone: 'note', text: `${added(rule)}: this reply is sent as ${shown(framed.bytes)}${utf8Note}` };
}
