// Which reads a stretch of the stream came from, in bounded memory: a frame fed as a million one-byte reads is listed
// by its first and newest MAX_LISTED_READS / 2 read indexes and a count, not by a million numbers.

/** Reads listed at most for a message or a pending tail; past it, the first half and the last half of them. */
export const MAX_LISTED_READS = 64;
const HALF = MAX_LISTED_READS / 2;

/** As messages and pending tails carry it: `readCount` only when `reads` leaves some out. */
export interface ReadsSpanned {
  reads: number[];
  readCount?: number;
}

export class ReadList {
  private readonly first: number[] = [];
  /** Ring of the newest reads after `first` (once `first` is full). */
  private readonly last = new Float64Array(HALF);
  private lastStart = 0;
  private lastLength = 0;
  /** Reads added since the last reset, each counted once. */
  count = 0;
  private newest = 0;

  /** Notes one more read; the same read twice in a row counts once. */
  add(read: number): void {
    if (this.count > 0 && this.newest === read) return;
    this.count++;
    this.newest = read;
    if (this.first.length < HALF) {
      this.first.push(read);
      return;
    }
    this.last[(this.lastStart + this.lastLength) % HALF] = read;
    if (this.lastLength < HALF) this.lastLength++;
    else this.lastStart = (this.lastStart + 1) % HALF;
  }

  summary(): ReadsSpanned {
    const reads = this.first.slice();
    for (let i = 0; i < this.lastLength; i++) reads.push(this.last[(this.lastStart + i) % HALF]!);
    return this.count > reads.length ? { reads, readCount: this.count } : { reads };
  }

  /** Forgets every read but the newest (`keepNewest`), or all of them. */
  reset(keepNewest: boolean): void {
    const newest = this.newest;
    this.first.length = 0;
    this.lastStart = 0;
    this.lastLength = 0;
    this.count = 0;
    if (keepNewest) this.add(newest);
  }
}
