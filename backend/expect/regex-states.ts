// The Pike VM's steps, cached (RE2's lazy DFA, keeping match starts): a state is the ordered list of instructions
// waiting for a byte plus the class of the byte before it (all that ^, $ and \b ask). From a state, a byte always leads
// to the same state, and each new thread's start is an old thread's (always the same one) or the new byte's offset:
// worked out once, a step is then a table lookup and a copy of the starts.
import { context, isWord, NO_BYTE, type ByteProgram } from './regex-program';

/** States kept per regex; past it the cache starts over (as RE2's does), so memory stays bounded. */
export const MAX_CACHED_STATES = 256;

export interface VmState {
  readonly pcs: Int32Array;
  readonly prevClass: number;
  readonly epoch: number;
  readonly next: (VmStep | undefined)[];
  endMatch?: boolean;
}

/** `to` null: the text so far, then the byte, holds a match. `from[k]`: whose start thread k of `to` keeps (-1: new). */
export interface VmStep {
  readonly to: VmState | null;
  readonly from: Int32Array;
}

/** The byte classes context() tells apart on its left side. */
const classOf = (b: number): number => (b < 0 ? 0 : b === 10 ? 1 : isWord(b) ? 2 : 3);
const CLASS_BYTE = [NO_BYTE, 10, 97, 32];

/** A thread list under construction: leaves in priority order, each with the index of the thread it came from. */
class Building {
  readonly pcs: number[] = [];
  readonly from: number[] = [];
  private readonly slot: Int32Array;

  constructor(n: number) {
    this.slot = new Int32Array(n).fill(-1);
  }

  has(pc: number): boolean {
    const j = this.slot[pc]!;
    return j >= 0 && j < this.pcs.length && this.pcs[j] === pc;
  }

  push(pc: number, from: number): void {
    this.slot[pc] = this.pcs.length;
    this.pcs.push(pc);
    this.from.push(from);
  }

  clear(): void {
    this.pcs.length = 0;
    this.from.length = 0;
  }
}

export class StateCache {
  private states = new Map<string, VmState>();
  private epoch = 0;
  private readonly run: Building;
  private readonly next: Building;

  constructor(private readonly prog: ByteProgram) {
    this.run = new Building(prog.size);
    this.next = new Building(prog.size);
  }

  /** No thread waiting; `prev` is the byte before (NO_BYTE at the text's start). */
  initial(prev: number): VmState {
    return this.intern(new Int32Array(0), classOf(prev));
  }

  /** The state as this cache knows it now (a state from before a reset is looked up again). */
  current(s: VmState): VmState {
    return s.epoch === this.epoch ? s : this.intern(s.pcs, s.prevClass);
  }

  step(s: VmState, c: number): VmStep {
    return (s.next[c] ??= this.work(s, c));
  }

  /** Would the text match if it ended in this state? */
  matchesAtEnd(s: VmState): boolean {
    return (s.endMatch ??= this.closure(s, context(CLASS_BYTE[s.prevClass]!, NO_BYTE)));
  }

  /** The threads' closures (then a new thread's) in context `cond`, into `run`; true once one reaches MATCH. */
  private closure(s: VmState, cond: number): boolean {
    const run = this.run;
    run.clear();
    for (let j = 0; j <= s.pcs.length; j++) {
      const leaves = this.prog.leaves(j < s.pcs.length ? s.pcs[j]! : this.prog.entry, cond);
      for (let k = 0; k < leaves.length; k++) {
        const leaf = leaves[k]!;
        if (run.has(leaf)) continue; // reached first by a thread of higher priority, whose start wins
        if (this.prog.isMatch(leaf)) return true;
        run.push(leaf, j < s.pcs.length ? j : -1);
      }
    }
    return false;
  }

  private work(s: VmState, c: number): VmStep {
    if (this.closure(s, context(CLASS_BYTE[s.prevClass]!, c))) return { to: null, from: new Int32Array(0) };
    const { run, next } = this;
    next.clear();
    for (let j = 0; j < run.pcs.length; j++) {
      const out = this.prog.next(run.pcs[j]!, c);
      if (out >= 0 && !next.has(out)) next.push(out, run.from[j]!);
    }
    return { to: this.intern(Int32Array.from(next.pcs), classOf(c)), from: Int32Array.from(next.from) };
  }

  private intern(pcs: Int32Array, prevClass: number): VmState {
    const key = `${prevClass}:${pcs.join(',')}`;
    let s = this.states.get(key);
    if (s) return s;
    if (this.states.size >= MAX_CACHED_STATES) {
      this.states = new Map();
      this.epoch++;
    }
    s = { pcs, prevClass, epoch: this.epoch, next: [] };
    this.states.set(key, s);
    return s;
  }
}
