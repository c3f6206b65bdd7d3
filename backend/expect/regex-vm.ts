// One Pike VM (Thompson's construction, as RE2's own NFA) over a stream: the threads of every match that could start
// at or after its base, carried from byte to byte. Its steps come from the StateCache, so a byte costs a table lookup
// and a copy of the threads' starts.
import { NO_BYTE } from './regex-program';
import type { StateCache, VmState } from './regex-states';

/** Work done, for tests that check it follows the new bytes: bytes stepped, and bytes RE2JS read to pick a match. */
export const regexWork = { stepped: 0, picked: 0 };

/** Threads for every match starting at or after `base`, waiting for the byte at the stream's position. */
export class RegexVm {
  private state: VmState;
  /** starts[k]: the stream offset thread k's match would start at. */
  private starts: Float64Array;
  private spare: Float64Array;
  /** The oldest offset a match could still start at: a waiting thread's, or the position. */
  oldest: number;

  constructor(
    private readonly cache: StateCache,
    threads: number,
    readonly base: number,
    /** The byte before `base`, or NO_BYTE at the text's start (where `^` matches). */
    prev = NO_BYTE,
  ) {
    this.state = cache.initial(prev);
    this.starts = new Float64Array(threads);
    this.spare = new Float64Array(threads);
    this.oldest = base;
  }

  /** Consumes byte c at offset pos; true when a match ends at pos (the text so far, then c, holds one). */
  step(c: number, pos: number): boolean {
    regexWork.stepped++;
    const t = this.cache.step(this.cache.current(this.state), c);
    if (t.to === null) return true;
    const { from } = t;
    const starts = this.starts;
    const next = this.spare;
    let oldest = pos + 1;
    for (let k = 0; k < from.length; k++) {
      const f = from[k]!;
      const start = f < 0 ? pos : starts[f]!;
      next[k] = start;
      if (start < oldest) oldest = start;
    }
    this.spare = starts;
    this.starts = next;
    this.state = t.to;
    this.oldest = oldest;
    return false;
  }

  /** Would the text match if it ended here? */
  matchesAtEnd(): boolean {
    return this.cache.matchesAtEnd(this.cache.current(this.state));
  }
}
