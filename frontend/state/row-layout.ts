// Maps the rows of a fixed-row-height view to (chunk position, row within the chunk), kept up to date incrementally:
// appending chunks appends prefix sums, evicting at the front moves a head; only a reorder (or what `stamp` names)
// rebuilds. Rows per chunk come from the view (hex: one per 16 bytes; text: one per line).
import type { CaptureLog, CapturedChunk } from './capture-log';

export class RowLayout {
  private source: CaptureLog | null = null;
  private stamp = '';
  /** starts[k] is the first row of the chunk with ordinal origin + k; end is the row after the last. */
  private starts: number[] = [];
  private origin = 0;
  private head = 0;
  private end = 0;

  /**
   * @param rowsOf rows the chunk at a position takes (at least 1)
   * @param stampOf what else invalidates the layout (besides a reorder), e.g. payloads filled in
   */
  constructor(
    private readonly rowsOf: (capture: CaptureLog, pos: number, chunk: CapturedChunk) => number,
    private readonly stampOf: (capture: CaptureLog) => string = () => '',
  ) {}

  /** Brings the layout up to date with the capture; cheap when nothing or only new chunks changed. */
  sync(capture: CaptureLog): void {
    const stamp = `${capture.epoch}:${this.stampOf(capture)}`;
    const stale = capture.removed > this.origin + this.starts.length; // everything laid out was evicted meanwhile
    if (capture !== this.source || stamp !== this.stamp || stale) {
      this.source = capture;
      this.stamp = stamp;
      this.starts = [];
      this.origin = capture.removed;
      this.end = 0;
    }
    this.head = capture.removed - this.origin;
    for (let ord = this.origin + this.starts.length; ord < capture.removed + capture.size; ord++) {
      const pos = ord - capture.removed;
      this.starts.push(this.end);
      this.end += this.rowsOf(capture, pos, capture.at(pos)!);
    }
    if (this.head > 4096 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.origin += this.head;
      this.head = 0;
    }
  }

  get rowCount(): number {
    return this.starts.length > this.head ? this.end - this.starts[this.head]! : 0;
  }

  /** Which chunk position a row shows, and which of the chunk's rows (0-based). */
  locate(row: number): { pos: number; row: number } {
    const target = row + (this.starts[this.head] ?? 0);
    let lo = this.head;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= target) lo = mid;
      else hi = mid - 1;
    }
    return { pos: lo - this.head, row: target - this.starts[lo]! };
  }

  /** First row of the chunk at a position. */
  rowOf(pos: number): number {
    return (this.starts[this.head + pos] ?? this.end) - (this.starts[this.head] ?? 0);
  }
}
