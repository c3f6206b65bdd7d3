// Framed messages of one direction: an incremental decoder fed each chunk as it is recorded, a bounded list of results.
import {
  FrameDecoder,
  type DecodedMessage,
  type Direction,
  type FramingRule,
  type Message,
  type MessagesReply,
} from '../../shared';

/** Messages kept per direction; older ones are forgotten and counted. */
export const MAX_MESSAGES = 10_000;
/** Pending bytes shown in a reply (the tail itself may be as large as a frame). */
const PENDING_PREVIEW_BYTES = 4096;

export interface MessageLogOptions {
  startOffset: number;
  skippedBytes: number;
  /** Payload bytes kept across the messages listed (the newest message is always kept). */
  maxBytes: number;
  maxMessages?: number;
}

const toWire = (m: DecodedMessage): Message => ({
  index: m.index,
  start: m.start,
  end: m.end,
  payloadOffset: m.payloadOffset,
  reads: m.reads,
  length: m.data.length,
  data: Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length).toString('base64'),
});

export class MessageLog {
  private readonly decoder: FrameDecoder;
  private messages: DecodedMessage[] = [];
  private head = 0;
  private heldBytes = 0;
  droppedMessages = 0;
  lastIndex = 0;

  constructor(
    readonly rule: FramingRule,
    private readonly opts: MessageLogOptions,
  ) {
    this.decoder = new FrameDecoder(rule, { startOffset: opts.startOffset });
  }

  /** Feeds one recorded chunk; returns the messages it completed. */
  push(bytes: Uint8Array, read: number): DecodedMessage[] {
    const done = this.decoder.push(bytes, read);
    for (const m of done) this.keep(m);
    return done;
  }

  get error(): string | null {
    return this.decoder.error;
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
    const pending = this.decoder.pending();
    return {
      id,
      direction,
      framing: this.rule,
      messages: out,
      pending: pending && {
        ...pending,
        data: Buffer.from(this.decoder.pendingBytes().subarray(0, PENDING_PREVIEW_BYTES)).toString('base64'),
      },
      error: this.decoder.error,
      skippedBytes: this.opts.skippedBytes,
      droppedMessages: this.droppedMessages,
      lastIndex: this.lastIndex,
      more,
    };
  }

  private keep(m: DecodedMessage): void {
    this.messages.push(m);
    this.heldBytes += m.data.length;
    this.lastIndex = m.index;
    const maxMessages = this.opts.maxMessages ?? MAX_MESSAGES;
    while (this.held > 1 && (this.held > maxMessages || this.heldBytes > this.opts.maxBytes)) {
      this.heldBytes -= this.messages[this.head]!.data.length;
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
