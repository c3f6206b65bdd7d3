// Decoded messages of all connections under one cap (framingMessagesTotalBytes): past it, the oldest messages go first,
// whichever connection holds them, each counted on its own log as evicted. Without it, each of the 1024 live and 2000
// closed rows could keep its own per-direction allowance of messages: gigabytes. CaptureStore does the same for chunks.

/** What the store evicts from: one direction's message log. */
export interface StoredMessages {
  /** Index of the oldest message held (Infinity when none, or once forgotten). */
  oldestIndex(): number;
  /** Lets the oldest message go, counting it as evicted (it calls removed()). */
  evictOldest(): void;
}

export class MessageStore {
  /** What the cap counts over every log: payload plus per-message overhead. */
  heldBytes = 0;
  private heldMessages = 0;
  /** Arrival order of the messages held, as (log, index) pairs; pairs for messages already gone are skipped. */
  private logs: (StoredMessages | undefined)[] = [];
  private indexes: number[] = [];
  private head = 0;

  constructor(readonly capBytes: number) {}

  /** A log kept a message costing `cost`; enforce() after the log has applied its own bounds. */
  added(log: StoredMessages, index: number, cost: number): void {
    this.logs.push(log);
    this.indexes.push(index);
    this.heldBytes += cost;
    this.heldMessages++;
  }

  /** A log let go of `messages` messages costing `cost` in all (its own bounds, eviction, a rule replaced, a row forgotten). */
  removed(cost: number, messages = 1): void {
    this.heldBytes -= cost;
    this.heldMessages -= messages;
  }

  /** Evicts the oldest messages of any log until the total is within the cap. */
  enforce(): void {
    while (this.heldBytes > this.capBytes && this.head < this.logs.length) {
      const log = this.logs[this.head]!;
      const index = this.indexes[this.head]!;
      this.logs[this.head++] = undefined;
      // Each log lets go in index order: a pair below its oldest is a message already gone.
      if (index >= log.oldestIndex()) log.evictOldest();
    }
    this.compact();
  }

  /** Drops the pairs already used or gone once they are most of the queue (so it stays proportional to what is held). */
  private compact(): void {
    const queued = this.logs.length - this.head;
    const manyUsed = this.head > 1024 && this.head * 2 > this.logs.length;
    const manyGone = queued > 1024 && queued > 2 * this.heldMessages;
    if (!manyUsed && !manyGone) return;
    const logs: StoredMessages[] = [];
    const indexes: number[] = [];
    for (let i = this.head; i < this.logs.length; i++) {
      const log = this.logs[i]!;
      if (this.indexes[i]! < log.oldestIndex()) continue;
      logs.push(log);
      indexes.push(this.indexes[i]!);
    }
    this.logs = logs;
    this.indexes = indexes;
    this.head = 0;
  }
}
