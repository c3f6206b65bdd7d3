// Bytes sockscope holds in Node's write buffers for peers that have not taken them yet (queuedBytes), bounded per
// connection and for all connections together: maxQueuedBytesPerConnection and maxQueuedBytesTotal.
import type { Limits } from '../../shared';

export class QueueBudget {
  constructor(
    readonly limits: Pick<Limits, 'maxQueuedBytesPerConnection' | 'maxQueuedBytesTotal'>,
    private readonly connections: () => Iterable<{ readonly queuedBytes: number }>,
  ) {}

  /** Counted afresh on each call: Node's buffers shrink as the kernel takes bytes, with no event per byte. */
  total(): number {
    let sum = 0;
    for (const c of this.connections()) sum += c.queuedBytes;
    return sum;
  }

  /** What all connections together may still queue; below 0 when echo went past the total (see tracked-socket). */
  room(): number {
    return this.limits.maxQueuedBytesTotal - this.total();
  }

  /** The smaller of the two caps, named: no single send may make more bytes than this. */
  largestSend(): { max: number; limit: 'maxQueuedBytesPerConnection' | 'maxQueuedBytesTotal' } {
    const { maxQueuedBytesPerConnection: per, maxQueuedBytesTotal: total } = this.limits;
    return per <= total
      ? { max: per, limit: 'maxQueuedBytesPerConnection' }
      : { max: total, limit: 'maxQueuedBytesTotal' };
  }
}
