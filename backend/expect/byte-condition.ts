// bytes / text / regex / message conditions: the captured chunks after the cursor, then each new chunk, fed once.
import {
  escapePreview,
  isTerminal,
  plural,
  type ConnectionState,
  type Direction,
  type ExpectSeen,
  type InspectorEvent,
} from '../../shared';
import type { ConnectionCapture } from '../inspector/capture';
import { payloadOf } from '../inspector/data-event';
import { baseSeen, isNow, type Condition, type ExpectTarget, type Outcome } from './conditions';
import type { StreamMatcher } from './matchers';

/** Bytes of the last part after the cursor kept in `seen.data`, and shown in the message. */
const SEEN_DATA_BYTES = 4096;
const SEEN_PREVIEW_BYTES = 64;

const noBytes = (t: ExpectTarget, direction: Direction, from: number): ExpectSeen => {
  const { data } = tailAfter(t.capture, direction, from, SEEN_DATA_BYTES);
  return { ...baseSeen(t), bytes: Math.max(0, t.capture.total(direction) - from), data: data.toString('base64') };
};

/** The last `max` captured bytes of one direction at or after stream offset `from`. */
export function tailAfter(c: ConnectionCapture, direction: Direction, from: number, max: number): { data: Buffer } {
  const parts: Buffer[] = [];
  let held = 0;
  const chunks = c.stored(direction);
  for (let i = chunks.length - 1; i >= 0 && held < max; i--) {
    const ch = chunks[i]!;
    const end = ch.offset + ch.bytes.length;
    if (end <= from) break;
    const part = ch.bytes.subarray(Math.max(0, from - ch.offset, ch.bytes.length - (max - held)));
    parts.unshift(part);
    held += part.length;
  }
  return { data: Buffer.concat(parts) };
}

/** No more bytes can come this way: the peer's FIN (in), ours (out), or the end of the connection. */
function finishedReason(t: ExpectTarget, state: ConnectionState, direction: Direction): string | null {
  const more = direction === 'in' ? 'no more bytes can arrive' : 'no more bytes can be sent';
  if (isTerminal(state)) return `${isNow(t, state)}: ${more}`;
  if (direction === 'in' && state === 'half-closed-remote') return `the peer of ${t.id} sent its FIN: ${more}`;
  if (direction === 'out' && state === 'half-closed-local') return `${t.id} sent its FIN: ${more}`;
  return null;
}

/** bytes / text / regex / message: fed the captured chunks after the cursor, then each new chunk. */
export class ByteCondition implements Condition {
  private next: number;

  constructor(
    private readonly t: ExpectTarget,
    private readonly direction: Direction,
    private readonly matcher: StreamMatcher,
    private readonly from: number,
    /** Captured chunks are joined up to this size before a push (a regex checks for a match after each push). */
    private readonly coalesceBytes = 0,
  ) {
    this.next = from;
  }

  start(): Outcome | null {
    let block: Buffer[] = [];
    let blockOffset = 0;
    let blockBytes = 0;
    let lastRead = 0;
    const flush = (): Outcome | null => {
      if (block.length === 0) return null;
      const bytes = block.length === 1 ? block[0]! : Buffer.concat(block);
      block = [];
      blockBytes = 0;
      return this.feed(bytes, blockOffset, lastRead);
    };
    for (const c of this.t.capture.stored(this.direction)) {
      if (c.offset + c.bytes.length <= this.next) continue;
      if (
        blockBytes > 0 &&
        (blockBytes + c.bytes.length > this.coalesceBytes || c.offset !== blockOffset + blockBytes)
      ) {
        const out = flush();
        if (out) return out;
      }
      if (blockBytes === 0) blockOffset = c.offset;
      block.push(c.bytes);
      blockBytes += c.bytes.length;
      lastRead = c.index;
    }
    return flush() ?? this.finished(this.t.state);
  }

  event(e: InspectorEvent): Outcome | null {
    if (e.type === 'socket/data' && e.direction === this.direction) {
      if (e.truncated) {
        this.skipTo(e.offset + e.length);
        return null;
      }
      return this.feed(payloadOf(e), e.offset, e.index);
    }
    if (e.type === 'socket/state') return this.finished(e.to);
    return null;
  }

  seen(): { seen: ExpectSeen; text: string } {
    const seen = noBytes(this.t, this.direction, this.from);
    if (this.matcher.messages !== undefined) seen.messages = this.matcher.messages;
    const shown = Buffer.from(seen.data, 'base64');
    const preview = shown.subarray(Math.max(0, shown.length - SEEN_PREVIEW_BYTES));
    const ellipsis = seen.bytes > preview.length ? '…' : '';
    let text = `${plural(seen.bytes, 'byte')} arrived after the cursor`;
    if (seen.bytes > 0) text += `: "${ellipsis}${escapePreview(preview, SEEN_PREVIEW_BYTES)}"`;
    if (seen.messages !== undefined) text += ` (${plural(seen.messages, 'complete message')})`;
    if (this.matcher.lost) text += `; ${this.matcher.lost}`;
    return { seen, text };
  }

  private feed(bytes: Buffer, offset: number, read: number): Outcome | null {
    const end = offset + bytes.length;
    if (end <= this.next) return null;
    if (offset > this.next) this.matcher.gap(offset);
    else if (offset < this.next) bytes = bytes.subarray(this.next - offset);
    const at = Math.max(offset, this.next);
    this.next = end;
    const match = this.matcher.push(bytes, at, read);
    if (match) return { match };
    return this.matcher.broken !== null ? { never: this.matcher.broken } : null;
  }

  private skipTo(offset: number): void {
    if (offset <= this.next) return;
    this.matcher.gap(offset);
    this.next = offset;
  }

  private finished(state: ConnectionState): Outcome | null {
    const reason = finishedReason(this.t, state, this.direction);
    return reason === null ? null : { never: reason };
  }
}
