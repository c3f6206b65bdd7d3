// One connection's framing: a message log per direction, decoding from the oldest captured byte, the budget its
// unfinished frames draw on (per connection, then the inspector's total) and the store its messages count in.
import { PendingPool, type Direction, type FramingRule, type PendingBudget } from '../../shared';
import type { ConnectionCapture } from '../inspector/capture';
import { MessageLog } from './message-log';
import type { MessageStore } from './message-store';

export interface FramingLimits {
  /** Payload (plus per-message overhead) kept per direction. */
  maxBytes: number;
  /** framingPendingPerConnectionBytes: also the largest frame. */
  pendingPerConnectionBytes: number;
  /** Shared by every connection (framingPendingTotalBytes). */
  pendingTotal: PendingBudget;
  /** The messages of every connection (framingMessagesTotalBytes). */
  messagesTotal: MessageStore;
}

export class ConnectionFraming {
  readonly in: MessageLog;
  readonly out: MessageLog;

  private constructor(logs: Record<Direction, MessageLog>) {
    this.in = logs.in;
    this.out = logs.out;
  }

  /**
   * Decodes what the capture holds, then each chunk as it comes. Bytes evicted before the rule was set (before the
   * oldest byte, or between the head and the newer bytes) are skipped and counted; decoding starts afresh after them.
   */
  static start(rule: FramingRule, capture: ConnectionCapture, limits: FramingLimits): ConnectionFraming {
    const budget = new PendingPool(
      limits.pendingPerConnectionBytes,
      "this connection's unfinished frames",
      'framingPendingPerConnectionBytes',
      limits.pendingTotal,
    );
    const logFor = (direction: Direction): MessageLog => {
      const stored = capture.stored(direction);
      const startOffset = stored[0]?.offset ?? capture.total(direction);
      const log = new MessageLog(rule, {
        startOffset,
        skippedBytes: startOffset,
        maxBytes: limits.maxBytes,
        maxFrameBytes: limits.pendingPerConnectionBytes,
        maxFrameName: 'framingPendingPerConnectionBytes',
        budget,
        store: limits.messagesTotal,
      });
      // A recycled chunk's bytes last only while held: the decoder copies what it keeps of them.
      for (const c of stored) {
        log.gap(c.offset);
        log.push(c.bytes, c.index);
      }
      return log;
    };
    return new ConnectionFraming({ in: logFor('in'), out: logFor('out') });
  }

  get rule(): FramingRule {
    return this.in.rule;
  }

  /** The connection ended: unfinished frames give their bytes back (their previews stay). */
  freeze(): void {
    this.in.freeze();
    this.out.freeze();
  }

  /** The rule is being replaced or cleared, or the row forgotten: pending bytes and messages are let go. */
  forget(): void {
    this.in.forget();
    this.out.forget();
  }

  /** The framing errors of both directions as the row shows them, null while both decode. */
  get error(): string | null {
    const parts = (['in', 'out'] as const).flatMap((d) => (this[d].error === null ? [] : [`${d}: ${this[d].error}`]));
    return parts.length > 0 ? parts.join('; ') : null;
  }
}
