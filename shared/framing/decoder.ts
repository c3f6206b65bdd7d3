// Incremental frame decoders: fed read by read, they keep only the pending tail and never look at a byte twice.
import type { PendingBudget } from './pending-budget';
import type { ReadsSpanned } from './read-list';
import { delimiterBytes, MAX_FRAME_BYTES, type FramingRule, type LengthRule } from './rule';
import { StreamTail } from './tail';

/** One frame cut from the stream; `reads` are the reads (capture chunks) its bytes came from (see ReadList). */
export interface DecodedMessage extends ReadsSpanned {
  /** 1 for the first message of this direction since the rule was set. */
  index: number;
  /** Stream offsets of the whole frame (header and delimiter included), end exclusive. */
  start: number;
  end: number;
  /** Stream offset of the first payload byte (after the length or JSON header). */
  payloadOffset: number;
  /** The payload: without header, offset bytes or delimiter. */
  data: Uint8Array;
}

export interface PendingTail extends ReadsSpanned {
  start: number;
  length: number;
}

export interface DecoderOptions {
  /** Stream offset of the first byte fed (when decoding starts mid-stream). */
  startOffset?: number;
  /** Largest frame: a header announcing more (or a longer run without a delimiter) is a framing error. */
  maxMessageBytes?: number;
  /** Named in size errors after the number, e.g. "framingPendingPerConnectionBytes". */
  maxMessageName?: string;
  /** Drawn on for the bytes of the unfinished frame; refused, the frame is a framing error and its bytes dropped. */
  budget?: PendingBudget;
}

/** Where the frame at the front of the tail ends: 'more' when the tail is too short to say. */
type Cut = { total: number; payloadStart: number; payloadEnd: number } | 'more' | { error: string };

export class FrameDecoder {
  private readonly tail: StreamTail;
  private readonly max: number;
  private readonly limitText: string;
  private readonly budget: PendingBudget | null;
  private cutter: Cutter;
  private nextIndex = 1;
  private cut: Cut = 'more';
  /** Bytes of the tail drawn from the budget. */
  private held = 0;
  /** Stream offset just past the last byte fed (the tail stops following it after an error). */
  private fedEnd: number;
  /** Set once the stream stops making sense; no more messages are cut after it. */
  error: string | null = null;
  /** Bytes fed but neither cut into a message nor pending: a frame over a limit, everything after an error. */
  droppedBytes = 0;

  constructor(
    readonly rule: FramingRule,
    opts: DecoderOptions = {},
  ) {
    this.tail = new StreamTail(opts.startOffset ?? 0);
    this.fedEnd = this.tail.start;
    this.max = opts.maxMessageBytes ?? MAX_FRAME_BYTES;
    this.limitText = opts.maxMessageName ? `${this.max} (${opts.maxMessageName})` : String(this.max);
    this.budget = opts.budget ?? null;
    this.cutter = cutterFor(rule, this.max, this.limitText);
  }

  /**
   * Feeds one read; returns the messages it completed (their payloads are copies). The bytes need to stay valid only
   * during this call (a recycled read buffer will do): what stays pending of them is copied into the tail's buffer.
   */
  push(bytes: Uint8Array, read: number): DecodedMessage[] {
    this.fedEnd += bytes.length;
    if (this.error !== null) {
      this.droppedBytes += bytes.length;
      return [];
    }
    this.cutter.scan?.(bytes, this.tail.end);
    this.tail.push(bytes, read);
    const out: DecodedMessage[] = [];
    for (;;) {
      if (this.cut === 'more') this.cut = this.cutter.cut(this.tail);
      const cut = this.cut;
      if (cut === 'more') break;
      if ('error' in cut) {
        this.error = `${cut.error} (frame at stream offset ${this.tail.start})`;
        break;
      }
      if (this.tail.length < cut.total) break;
      const start = this.tail.start;
      const { bytes: frame, ...spanned } = this.tail.take(cut.total);
      this.cutter.taken?.(start + cut.total);
      out.push({
        index: this.nextIndex++,
        start,
        end: start + cut.total,
        payloadOffset: start + cut.payloadStart,
        ...spanned,
        data: frame.subarray(cut.payloadStart, cut.payloadEnd),
      });
      this.cut = 'more';
    }
    this.settle();
    this.tail.adopt();
    return out;
  }

  /**
   * The bytes up to stream offset `offset` are gone (evicted before the rule was set): the partial frame before them is
   * dropped and decoding starts afresh there, perhaps mid-frame. Messages go on numbering. Returns the bytes skipped.
   */
  gap(offset: number): number {
    const skipped = offset - this.fedEnd;
    if (skipped <= 0) return 0;
    this.fedEnd = offset;
    if (this.error !== null) return skipped;
    this.droppedBytes += this.tail.length;
    this.tail.clear(offset);
    this.cutter = cutterFor(this.rule, this.max, this.limitText);
    this.cut = 'more';
    this.settle();
    return skipped;
  }

  /** No more bytes will come: the pending tail is let go and its budget given back (pending() is null after). */
  close(): void {
    this.tail.clear();
    this.settle();
  }

  /** The incomplete tail, or null when nothing is pending. */
  pending(): PendingTail | null {
    if (this.tail.length === 0) return null;
    return { start: this.tail.start, length: this.tail.length, ...this.tail.reads() };
  }

  /** The first `max` bytes of the incomplete tail. */
  pendingBytes(max = this.tail.length): Uint8Array {
    return this.tail.peek(Math.min(max, this.tail.length));
  }

  /** Holds exactly the tail's bytes from the budget; a tail the budget refuses is a framing error, its bytes dropped. */
  private settle(): void {
    const want = this.tail.length - this.held;
    if (want < 0) this.budget?.give(-want);
    if (want <= 0) {
      this.held = this.tail.length;
      return;
    }
    const refused = this.budget?.take(want) ?? null;
    if (refused === null) {
      this.held = this.tail.length;
      return;
    }
    this.error = `unfinished frame dropped: ${refused} (frame at stream offset ${this.tail.start})`;
    this.droppedBytes += this.tail.length;
    this.tail.clear();
    this.budget?.give(this.held);
    this.held = 0;
  }
}

interface Cutter {
  cut(tail: StreamTail): Cut;
  /** Sees every byte once, before it joins the tail (delimiter search). */
  scan?(bytes: Uint8Array, offset: number): void;
  /** A frame ending at this stream offset was taken. */
  taken?(end: number): void;
}

/** `limit` is `max` as errors write it (with the limit's name when known). */
function cutterFor(rule: FramingRule, max: number, limit: string): Cutter {
  switch (rule.kind) {
    case 'length':
      return lengthCutter(rule, max, limit);
    case 'fixed': {
      const cut: Cut =
        rule.size > max
          ? { error: `fixed messages of ${rule.size} bytes; the limit is ${limit}` }
          : { total: rule.size, payloadStart: 0, payloadEnd: rule.size };
      return { cut: (tail) => (tail.length === 0 ? 'more' : cut) };
    }
    case 'delimiter':
      return delimiterCutter(rule.delimiter, max, limit);
    case 'json-header':
      return jsonHeaderCutter(max, limit);
  }
}

export function readLength(header: Uint8Array, little: boolean): number {
  let n = 0;
  for (let i = 0; i < header.length; i++) n = n * 256 + header[little ? header.length - 1 - i : i]!;
  return n;
}

function lengthCutter(rule: LengthRule, max: number, limit: string): Cutter {
  const offset = rule.offset ?? 0;
  const headerEnd = offset + rule.bytes;
  const little = rule.endian === 'little';
  return {
    cut(tail) {
      if (tail.length < headerEnd) return 'more';
      const n = readLength(tail.peek(headerEnd).subarray(offset), little);
      const total = rule.includesHeader ? n : headerEnd + n;
      if (total < headerEnd) return { error: `length ${n} is shorter than the ${headerEnd}-byte header it includes` };
      if (total - headerEnd > max) return { error: `length header announces ${n} bytes; the limit is ${limit}` };
      return { total, payloadStart: headerEnd, payloadEnd: total };
    },
  };
}

function delimiterCutter(escaped: string, max: number, limit: string): Cutter {
  const d = delimiterBytes({ kind: 'delimiter', delimiter: escaped });
  if (!d.ok) throw new Error(d.message);
  const delim = d.bytes;
  const size = delim.length;
  const last = delim[size - 1]!;
  const ring = new Uint8Array(size);
  const ends: number[] = [];
  let sinceMatch = 0;
  return {
    scan(bytes, offset) {
      for (let j = 0; j < bytes.length; j++) {
        const pos = offset + j;
        const b = bytes[j]!;
        ring[pos % size] = b;
        if (++sinceMatch < size || b !== last) continue;
        let k = 0;
        while (k < size && ring[(pos - size + 1 + k) % size] === delim[k]) k++;
        if (k === size) {
          ends.push(pos + 1);
          sinceMatch = 0;
        }
      }
    },
    cut(tail) {
      const end = ends[0];
      if (end === undefined) return tail.length > max + size ? { error: `no delimiter within ${limit} bytes` } : 'more';
      const total = end - tail.start;
      if (total - size > max)
        return { error: `message of ${total - size} bytes before the delimiter; the limit is ${limit}` };
      return { total, payloadStart: 0, payloadEnd: total - size };
    },
    taken: () => void ends.shift(),
  };
}

function jsonHeaderCutter(max: number, limit: string): Cutter {
  return {
    cut(tail) {
      if (tail.length < 2) return 'more';
      const headerLength = readLength(tail.peek(2), false);
      if (headerLength === 0) return { error: 'JSON header length is 0' };
      if (tail.length < 2 + headerLength) return 'more';
      const parsed = contentLength(tail.peek(2 + headerLength).subarray(2));
      if (typeof parsed === 'string') return { error: parsed };
      if (parsed > max) return { error: `content-length ${parsed} is over the limit ${limit}` };
      const payloadStart = 2 + headerLength;
      return { total: payloadStart + parsed, payloadStart, payloadEnd: payloadStart + parsed };
    },
  };
}

/** content-length from a JSON header (key matched case-insensitively), or an error message. */
export function contentLength(header: Uint8Array): number | string {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(header));
  } catch (err) {
    return `JSON header does not parse: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'JSON header is not an object';
  const key = Object.keys(json).find((k) => k.toLowerCase() === 'content-length');
  if (key === undefined) return 'JSON header has no content-length';
  const value = (json as Record<string, unknown>)[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    return `content-length ${JSON.stringify(value)} is not a non-negative integer`;
  return value;
}
