// Incremental byte matchers for expect: fed the stream after the cursor piece by piece, none looks at a byte twice
// (the regex at most twice, see RegexStream).
import {
  EXPECT_REGEX_LOOKBACK_BYTES,
  FrameDecoder,
  type FramingRule,
  type Message,
  type SafeRegex,
} from '../../shared';
import { RegexStream } from './regex-stream';

/** Matched bytes returned in a reply (the first ones of a longer match). */
export const MATCH_DATA_BYTES = 64 * 1024;
/** Payload bytes returned over all the messages of a message match; later payloads come back empty (length tells). */
export const MESSAGE_DATA_BYTES = 1 << 20;

export interface ByteMatch {
  start: number;
  end: number;
  data: Buffer;
  groups?: (string | null)[];
  messages?: Message[];
}

export interface StreamMatcher {
  /** Feeds bytes starting at stream offset `offset` (right after the previous push); a match or null. */
  push(bytes: Buffer, offset: number, read: number): ByteMatch | null;
  /** Bytes before `offset` will never come (not captured): forget what spans the hole. */
  gap(offset: number): void;
  /** Why it can never match any more (a framing error), or null. */
  readonly broken: string | null;
  /** Complete messages seen (message matcher only). */
  readonly messages?: number;
  /** Bytes it can no longer see, for a timeout's message (regex matcher only), or null. */
  readonly lost?: string | null;
}

/** The first `max` bytes of the stream from `start`. */
class Prefix {
  private parts: Buffer[] = [];
  private held = 0;

  constructor(private readonly max = MATCH_DATA_BYTES) {}

  add(bytes: Buffer): void {
    if (this.held >= this.max) return;
    const part = bytes.subarray(0, this.max - this.held);
    this.parts.push(Buffer.from(part)); // a copy: the chunk itself may be large
    this.held += part.length;
  }

  take(length: number): Buffer {
    return Buffer.concat(this.parts).subarray(0, Math.min(length, this.max));
  }
}

/** At least `count` bytes after the start. */
export class BytesMatcher implements StreamMatcher {
  readonly broken = null;
  private readonly prefix = new Prefix();
  private end: number;

  constructor(
    private readonly count: number,
    private readonly start: number,
  ) {
    this.end = start;
  }

  push(bytes: Buffer, offset: number): ByteMatch | null {
    this.prefix.add(bytes);
    this.end = offset + bytes.length;
    if (this.end - this.start < this.count) return null;
    return { start: this.start, end: this.start + this.count, data: this.prefix.take(this.count) };
  }

  gap(): void {
    // Counted by offsets: missing bytes still count.
  }
}

/** A byte string anywhere after the start; the last needle.length - 1 bytes carry over to the next push. */
export class TextMatcher implements StreamMatcher {
  readonly broken = null;
  private tail: Buffer = Buffer.alloc(0);
  private tailStart: number;

  constructor(
    private readonly needle: Buffer,
    start: number,
  ) {
    this.tailStart = start;
  }

  push(bytes: Buffer): ByteMatch | null {
    const buf = this.tail.length === 0 ? bytes : Buffer.concat([this.tail, bytes]);
    const at = buf.indexOf(this.needle);
    if (at >= 0) {
      const start = this.tailStart + at;
      return { start, end: start + this.needle.length, data: Buffer.from(this.needle) };
    }
    const keep = Math.min(buf.length, this.needle.length - 1);
    this.tailStart += buf.length - keep;
    this.tail = Buffer.from(buf.subarray(buf.length - keep));
    return null;
  }

  gap(offset: number): void {
    this.tail = Buffer.alloc(0);
    this.tailStart = offset;
  }
}

/**
 * A regex over a latin1 view of the bytes (one char per byte), searched incrementally (regex-stream.ts): each byte is
 * stepped once, and a match up to `lookback` bytes long is always found. A match is reported as soon as one exists,
 * so `\d+` may match "12" before "34" arrives. Groups are decoded as UTF-8 (invalid sequences become U+FFFD).
 */
export class RegexMatcher implements StreamMatcher {
  private readonly stream: RegexStream;

  constructor(re: SafeRegex, start: number, lookback = EXPECT_REGEX_LOOKBACK_BYTES) {
    this.stream = new RegexStream(re, start, lookback);
  }

  get broken(): string | null {
    return this.stream.broken;
  }

  get lost(): string | null {
    const from = this.stream.leftBefore;
    if (from === null) return null;
    const lookback = this.stream.lookback;
    return (
      `the regex keeps at most ${2 * lookback} bytes: those before stream offset ${from} left its window, ` +
      `so a match longer than ${lookback} bytes may go unfound`
    );
  }

  push(bytes: Buffer): ByteMatch | null {
    const found = this.stream.push(bytes);
    if (!found) return null;
    const [whole, ...groups] = found.groups;
    return {
      start: found.start,
      end: found.end,
      data: whole!.subarray(0, MATCH_DATA_BYTES),
      groups: groups.map((g) => (g === null ? null : g.toString('utf8'))),
    };
  }

  gap(offset: number): void {
    this.stream.gap(offset);
  }
}

/** `count` complete messages of a framing rule, cut from the start (which must be a frame boundary). */
export class MessageMatcher implements StreamMatcher {
  broken: string | null = null;
  private readonly decoder: FrameDecoder;
  private readonly prefix = new Prefix();
  private readonly found: Message[] = [];
  private dataBudget = MESSAGE_DATA_BYTES;

  constructor(
    rule: FramingRule,
    private readonly count: number,
    private readonly start: number,
  ) {
    this.decoder = new FrameDecoder(rule, { startOffset: start });
  }

  get messages(): number {
    return this.found.length;
  }

  push(bytes: Buffer, _offset: number, read: number): ByteMatch | null {
    this.prefix.add(bytes);
    // A copy: the decoder keeps partial frames, and a recycled chunk's bytes last only while the capture holds it.
    for (const m of this.decoder.push(Buffer.from(bytes), read)) {
      const keep = m.data.length <= this.dataBudget;
      if (keep) this.dataBudget -= m.data.length;
      const payload = keep ? Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length).toString('base64') : '';
      const { index, start, end, payloadOffset, reads } = m;
      this.found.push({ index, start, end, payloadOffset, reads, length: m.data.length, data: payload });
      if (this.found.length === this.count) {
        const last = this.found[this.found.length - 1]!;
        return {
          start: this.start,
          end: last.end,
          data: this.prefix.take(last.end - this.start),
          messages: this.found,
        };
      }
    }
    if (this.decoder.error !== null) this.broken = `the framing failed: ${this.decoder.error}`;
    return null;
  }

  gap(offset: number): void {
    this.broken ??= `bytes before stream offset ${offset} were not captured: frames can no longer be cut`;
  }
}
