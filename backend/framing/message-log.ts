// Framed messages of one direction: an incremental decoder fed each chunk as it is recorded, a bounded list of results
// (per direction here, and over all connections in the MessageStore).
import {
  FrameDecoder,
  MESSAGE_OVERHEAD_BYTES,
  READ_ENTRY_BYTES,
  type DecodedMessage,
  type Direction,
  type FramingRule,
  type Message,
  type MessagesReply,
  type PendingBudget,
  type PendingTail,
} from '../../shared';
import type { MessageStore, StoredMessages } from './message-store';

/** Messages kept per direction; older ones are forgotten and counted. */
export const MAX_MESSAGES = 10_000;
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
  /** The cap over every connection's messages (framingMessagesTotalBytes). */
  store?: MessageStore;
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

export class MessageLog implements StoredMessages {
  private readonly decoder: FrameDecoder;
  private messages: DecodedMessage[] = [];
  private head = 0;
  private readonly overhead: number;
  private skippedBytes: number;
  private frozen: FrozenTail | null | undefined;
  /** What the caps count for the messages held: payload plus overhead each. */
  heldBytes = 0;
  /** Old messages let go: by this log's bounds or, counted in evictedMessages too, by the store's. */
  droppedMessages = 0;
  evictedMessages = 0;
  lastIndex = 0;
  /** Let go of for good (the row was forgotten, or the rule replaced): keeps nothing more. */
  private forgotten = false;

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

  /** The rule is replaced or cleared, or the row forgotten: the pending bytes and the messages are let go. */
  forget(): void {
    this.decoder.close();
    if (this.forgotten) return;
    this.forgotten = true;
    this.opts.store?.removed(this.heldBytes, this.held);
    this.messages = [];
    this.head = 0;
    this.heldBytes = 0;
  }

  oldestIndex(): number {
    return this.messages[this.head]?.index ?? Infinity;
  }

  /** The store's cap: the oldest message goes, counted as evicted. */
  evictOldest(): void {
    if (this.held === 0) return;
    this.dropOldest();
    this.evictedMessages++;
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
      evictedMessages: this.evictedMessages,
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
    this.lastIndex = m.index;
    if (this.forgotten) {
      this.droppedMessages++;
      return;
    }
    const cost = this.cost(m);
    this.messages.push(m);
    this.heldBytes += cost;
    this.opts.store?.added(this, m.index, cost);
    const maxMessages = this.opts.maxMessages ?? MAX_MESSAGES;
    while (this.held > 1 && (this.held > maxMessages || this.heldBytes > this.opts.maxBytes)) this.dropOldest();
    this.opts.store?.enforce();
  }

  private dropOldest(): void {
    const m = this.messages[this.head]!;
    this.messages[this.head++] = undefined as unknown as DecodedMessage;
    const cost = this.cost(m);
    this.heldBytes -= cost;
    this.droppedMessages++;
    this.opts.store?.removed(cost);
    if (this.head > 1024 && this.head * 2 > this.messages.length) {
      this.messages = this.messages.slice(this.head);
      this.head = 0;
    }
  }

  /** Payload plus overhead, and each read listed past the first. */
  private cost(m: DecodedMessage): number {
    return m.data.length + this.overhead + READ_ENTRY_BYTES * (m.reads.length - 1);
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
