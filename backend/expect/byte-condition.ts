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

/** Captured bytes an expect feeds its matcher per turn of the event loop before it answers anything else. */
const START_SLICE_BYTES = 64 * 1024;
/** catchUp(): captured chunks remain for the next turn. */
const MORE = Symbol('more');

/** Index of the first chunk ending after stream offset `from` (chunks ascend by offset). */
function firstEndingAfter(chunks: readonly { offset: number; bytes: Buffer }[], from: number): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = chunks[mid]!;
    if (c.offset + c.bytes.length <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
  /** The history's next slice, while start() is still feeding it. */
  private pending: NodeJS.Immediate | null = null;

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

  /**
   * Feeds the captured history a slice per turn of the event loop: a regex at the size cap (shared/safe-regex.ts)
   * costs ~10-15 ms per 64 KiB, and a capture may hold MiBs. What is settled after this returns comes through `later`;
   * until the history is done, new data is read from the capture with it (a chunk evicted before its turn is a gap).
   */
  start(later: (outcome: Outcome) => void): Outcome | null {
    const now = this.catchUp();
    if (now !== MORE) return now;
    const turn = (): void => {
      const out = this.catchUp();
      if (out === MORE) this.pending = setImmediate(turn);
      else {
        this.pending = null;
        if (out) later(out);
      }
    };
    this.pending = setImmediate(turn);
    return null;
  }

  stop(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
  }

  /** Up to START_SLICE_BYTES of the captured chunks after `next`, joined up to coalesceBytes per push. */
  private catchUp(): Outcome | null | typeof MORE {
    const chunks = this.t.capture.stored(this.direction);
    let i = firstEndingAfter(chunks, this.next);
    let budget = START_SLICE_BYTES;
    while (i < chunks.length && budget > 0) {
      const first = chunks[i]!;
      const block = [first.bytes];
      let blockBytes = first.bytes.length;
      let lastRead = first.index;
      for (i++; i < chunks.length; i++) {
        const c = chunks[i]!;
        if (blockBytes + c.bytes.length > this.coalesceBytes || c.offset !== first.offset + blockBytes) break;
        block.push(c.bytes);
        blockBytes += c.bytes.length;
        lastRead = c.index;
      }
      budget -= blockBytes;
      const out = this.feed(block.length === 1 ? first.bytes : Buffer.concat(block), first.offset, lastRead);
      if (out) return out;
    }
    return i < chunks.length ? MORE : this.finished(this.t.state);
  }

  event(e: InspectorEvent): Outcome | null {
    if (this.pending) return null; // the history's next turns read the new chunks from the capture, then the state
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
