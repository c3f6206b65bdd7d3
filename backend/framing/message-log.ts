// Framed messages of one direction: an incremental decoder fed each chunk as it is recorded, a bounded list of results.
import {
  FrameDecoder,
  type DecodedMessage,
  type Direction,
  type FramingRule,
  type Message,
  type MessagesReply,
  type PendingBudget,
  type PendingTail,
} from '../../shared';

/** Messages kept per direction; older ones are forgotten and counted. */
export const MAX_MESSAGES = 10_000;
/**
 * Heap a kept message costs besides its payload (its record, its reads list, the ArrayBuffer its frame is copied
 * into), charged against maxBytes so that tiny messages stay within it too (10,000 of them took 4.5 MiB counted as
 * 10 KiB). Measured on Node 20 x64 by test/backend/inspector/chunk-cost.ts: 436-487 bytes; rounded up.
 */
export const MESSAGE_OVERHEAD_BYTES = 512;
/** Pending bytes shown in a reply (the tail itself may be as large as a frame). */
const PENDING_PREVIEW_BYTES = 4096;

export interface MessageLogOptions {
  startOffset: number;
  skippedBytes: number;
  /** Bytes kept across the messages listed, payload plus messageOverheadBytes each (the newest is always kept). */
  maxBytes: number;
  maxMessages?: number;
  messageOverheadBytes?: number;
  /** Largest frame, and the limit's name for errors (framingPendingPerConnectionBytes). */
  maxFrameBytes?: number;
  maxFrameName?: string;
  /** What unfinished frames draw on (per connection, then in total). */
  budget?: PendingBudget;
}

/** The pending tail as it was when the connection ended (its bytes let go, the preview kept). */
interface FrozenTail {
  tail: PendingTail;
  preview: Uint8Array;
}

const toWire = (m: DecodedMessage): Message => ({
  index: m.index,
  start: m.start,
  end: m.end,
  payloadOffset: m.payloadOffset,
  reads: m.reads,
  ...(m.readCount === undefined ? {} : { readCount: m.readCount }),
  length: m.data.length,
  data: Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length).toString('base64'),
});

export class MessageLog {
  private readonly decoder: FrameDecoder;
  private messages: DecodedMessage[] = [];
  private head = 0;
  private heldBytes = 0;
  private readonly overhead: number;
  private skippedBytes: number;
  private frozen: FrozenTail | null | undefined;
  droppedMessages = 0;
  lastIndex = 0;

  constructor(
    readonly rule: FramingRule,
    private readonly opts: MessageLogOptions,
  ) {
    this.decoder = new FrameDecoder(rule, {
      startOffset: opts.startOffset,
      maxMessageBytes: opts.maxFrameBytes,
      maxMessageName: opts.maxFrameName,
      budget: opts.budget,
    });
    this.overhead = opts.messageOverheadBytes ?? MESSAGE_OVERHEAD_BYTES;
    this.skippedBytes = opts.skippedBytes;
  }

  /** Feeds one recorded chunk (its bytes need stay valid only during the call); returns the messages it completed. */
  push(bytes: Uint8Array, read: number): DecodedMessage[] {
    const done = this.decoder.push(bytes, read);
    for (const m of done) this.keep(m);
    return done;
  }

  /** Bytes up to `offset` were evicted before they could be fed: decoding starts afresh there. */
  gap(offset: number): void {
    this.skippedBytes += this.decoder.gap(offset);
  }

  /**
   * The connection ended: no frame can complete now, so the pending tail gives its bytes back to the budget and only
   * a preview stays for the reply. Later pushes (none should come) are counted as dropped.
   */
  freeze(): void {
    if (this.frozen !== undefined) return;
    const tail = this.decoder.pending();
    this.frozen = tail && { tail, preview: this.decoder.pendingBytes(PENDING_PREVIEW_BYTES) };
    this.decoder.close();
  }

  /** Gives the pending bytes back: the rule is replaced or cleared. */
  dispose(): void {
    this.decoder.close();
  }

  get error(): string | null {
    return this.decoder.error;
  }

  /** Bytes fed that the decoder let go undecoded (a frame over a limit, everything after an error). */
  get droppedBytes(): number {
    return this.decoder.droppedBytes;
  }

  reply(id: string, direction: Direction, since: number, limit: number): MessagesReply {
    const out: Message[] = [];
    let more = false;
    for (let i = this.firstAfter(since); i < this.messages.length; i++) {
      if (out.length === limit) {
        more = true;
        break;
      }
      out.push(toWire(this.messages[i]!));
    }
    return {
      id,
      direction,
      framing: this.rule,
      messages: out,
      pending: this.pendingView(),
      error: this.decoder.error,
      skippedBytes: this.skippedBytes,
      droppedBytes: this.decoder.droppedBytes,
      droppedMessages: this.droppedMessages,
      lastIndex: this.lastIndex,
      more,
    };
  }

  private pendingView(): MessagesReply['pending'] {
    const frozen = this.frozen;
    const tail = frozen === undefined ? this.decoder.pending() : frozen?.tail;
    if (!tail) return null;
    const preview = frozen ? frozen.preview : this.decoder.pendingBytes(PENDING_PREVIEW_BYTES);
    return { ...tail, data: Buffer.from(preview.buffer, preview.byteOffset, preview.length).toString('base64') };
  }

  private keep(m: DecodedMessage): void {
    this.messages.push(m);
    this.heldBytes += m.data.length + this.overhead;
    this.lastIndex = m.index;
    const maxMessages = this.opts.maxMessages ?? MAX_MESSAGES;
    while (this.held > 1 && (this.held > maxMessages || this.heldBytes > this.opts.maxBytes)) {
      this.heldBytes -= this.messages[this.head]!.data.length + this.overhead;
      this.messages[this.head++] = undefined as unknown as DecodedMessage;
      this.droppedMessages++;
    }
    if (this.head > 1024 && this.head * 2 > this.messages.length) {
      this.messages = this.messages.slice(this.head);
      this.head = 0;
    }
  }

  private get held(): number {
    return this.messages.length - this.head;
  }

  private firstAfter(since: number): number {
    let lo = this.head;
    let hi = this.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.messages[mid]!.index <= since) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
