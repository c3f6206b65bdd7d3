// Incremental frame decoders: fed read by read, they keep only the pending tail and never look at a byte twice.
import { delimiterBytes, MAX_FRAME_BYTES, type FramingRule, type LengthRule } from './rule';
import { StreamTail } from './tail';

export interface DecodedMessage {
  /** 1 for the first message of this direction since the rule was set. */
  index: number;
  /** Stream offsets of the whole frame (header and delimiter included), end exclusive. */
  start: number;
  end: number;
  /** Stream offset of the first payload byte (after the length or JSON header). */
  payloadOffset: number;
  /** Indexes of the reads (capture chunks) the frame's bytes came from. */
  reads: number[];
  /** The payload: without header, offset bytes or delimiter. */
  data: Uint8Array;
}

export interface PendingTail {
  start: number;
  length: number;
  reads: number[];
}

export interface DecoderOptions {
  /** Stream offset of the first byte fed (when decoding starts mid-stream). */
  startOffset?: number;
  maxMessageBytes?: number;
}

/** Where the frame at the front of the tail ends: 'more' when the tail is too short to say. */
type Cut = { total: number; payloadStart: number; payloadEnd: number } | 'more' | { error: string };

export class FrameDecoder {
  private readonly tail: StreamTail;
  private readonly max: number;
  private readonly cutter: Cutter;
  private nextIndex = 1;
  private cut: Cut = 'more';
  /** Set once the stream stops making sense; no more messages are cut after it. */
  error: string | null = null;

  constructor(
    readonly rule: FramingRule,
    opts: DecoderOptions = {},
  ) {
    this.tail = new StreamTail(opts.startOffset ?? 0);
    this.max = opts.maxMessageBytes ?? MAX_FRAME_BYTES;
    this.cutter = cutterFor(rule, this.max);
  }

  /** Feeds one read; returns the messages it completed. */
  push(bytes: Uint8Array, read: number): DecodedMessage[] {
    if (this.error !== null) return [];
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
      const { bytes: frame, reads } = this.tail.take(cut.total);
      this.cutter.taken?.(start + cut.total);
      out.push({
        index: this.nextIndex++,
        start,
        end: start + cut.total,
        payloadOffset: start + cut.payloadStart,
        reads,
        data: frame.subarray(cut.payloadStart, cut.payloadEnd),
      });
      this.cut = 'more';
    }
    return out;
  }

  /** The incomplete tail, or null when nothing is pending. */
  pending(): PendingTail | null {
    if (this.tail.length === 0) return null;
    return { start: this.tail.start, length: this.tail.length, reads: this.tail.reads() };
  }

  pendingBytes(): Uint8Array {
    return this.tail.bytes();
  }
}

interface Cutter {
  cut(tail: StreamTail): Cut;
  /** Sees every byte once, before it joins the tail (delimiter search). */
  scan?(bytes: Uint8Array, offset: number): void;
  /** A frame ending at this stream offset was taken. */
  taken?(end: number): void;
}

function cutterFor(rule: FramingRule, max: number): Cutter {
  switch (rule.kind) {
    case 'length':
      return lengthCutter(rule, max);
    case 'fixed':
      return { cut: () => ({ total: rule.size, payloadStart: 0, payloadEnd: rule.size }) };
    case 'delimiter':
      return delimiterCutter(rule.delimiter, max);
    case 'json-header':
      return jsonHeaderCutter(max);
  }
}

export function readLength(header: Uint8Array, little: boolean): number {
  let n = 0;
  for (let i = 0; i < header.length; i++) n = n * 256 + header[little ? header.length - 1 - i : i]!;
  return n;
}

function lengthCutter(rule: LengthRule, max: number): Cutter {
  const offset = rule.offset ?? 0;
  const headerEnd = offset + rule.bytes;
  const little = rule.endian === 'little';
  return {
    cut(tail) {
      if (tail.length < headerEnd) return 'more';
      const n = readLength(tail.peek(headerEnd).subarray(offset), little);
      const total = rule.includesHeader ? n : headerEnd + n;
      if (total < headerEnd) return { error: `length ${n} is shorter than the ${headerEnd}-byte header it includes` };
      if (total - headerEnd > max) return { error: `length header announces ${n} bytes; the limit is ${max}` };
      return { total, payloadStart: headerEnd, payloadEnd: total };
    },
  };
}

function delimiterCutter(escaped: string, max: number): Cutter {
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
      if (end === undefined) return tail.length > max + size ? { error: `no delimiter within ${max} bytes` } : 'more';
      const total = end - tail.start;
      if (total - size > max)
        return { error: `message of ${total - size} bytes before the delimiter; the limit is ${max}` };
      return { total, payloadStart: 0, payloadEnd: total - size };
    },
    taken: () => void ends.shift(),
  };
}

function jsonHeaderCutter(max: number): Cutter {
  return {
    cut(tail) {
      if (tail.length < 2) return 'more';
      const headerLength = readLength(tail.peek(2), false);
      if (headerLength === 0) return { error: 'JSON header length is 0' };
      if (tail.length < 2 + headerLength) return 'more';
      const parsed = contentLength(tail.peek(2 + headerLength).subarray(2));
      if (typeof parsed === 'string') return { error: parsed };
      if (parsed > max) return { error: `content-length ${parsed} is over the limit ${max}` };
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
