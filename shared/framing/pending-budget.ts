// Bytes of unfinished frames the decoders may hold: per connection (both directions) and over all connections. A
// frame that would take a decoder past either is a framing error, so a peer announcing a 16 MiB frame and sending it
// slowly (or never) costs at most the budget, not the frame.

/** What a decoder draws on while it holds a partial frame. */
export interface PendingBudget {
  /** Takes n more bytes; null when granted, else why not (nothing is taken then). */
  take(n: number): string | null;
  give(n: number): void;
}

export class PendingPool implements PendingBudget {
  used = 0;

  /**
   * @param limit bytes this pool may hand out
   * @param what how an error names it: "this connection's unfinished frames"
   * @param limitName the limit's name, so the error says what to raise
   */
  constructor(
    readonly limit: number,
    private readonly what: string,
    private readonly limitName: string,
    private readonly parent: PendingBudget | null = null,
  ) {}

  take(n: number): string | null {
    if (n <= 0) return null;
    if (this.used + n > this.limit)
      return `${this.what} would hold ${this.used + n} bytes; the limit is ${this.limit} (${this.limitName})`;
    const refused = this.parent?.take(n) ?? null;
    if (refused !== null) return refused;
    this.used += n;
    return null;
  }

  give(n: number): void {
    if (n <= 0) return;
    this.used -= n;
    this.parent?.give(n);
  }
}
