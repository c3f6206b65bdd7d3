// RE2's compiled program (from re2js) seen as a byte machine for the streaming VM: per instruction the bytes it
// accepts, per instruction and context the instructions it reaches without a byte (cached), and RE2's contexts.
import type { SafeRegex } from '../../shared';

// re2js's program is not its public API: package.json pins re2js exactly, the constructor checks every opcode, and
// test/backend/expect/regex-stream.test.ts compares the VM with RE2JS.exec on many patterns and splits.
const ALT = 1;
const ALT_MATCH = 2;
const CAPTURE = 3;
const EMPTY_WIDTH = 4;
const FAIL = 5;
const MATCH = 6;
const NOP = 7;
const RUNE = 8;
const RUNE1 = 9;
const RUNE_ANY = 10;
const RUNE_ANY_NOT_NL = 11;

const BEGIN_LINE = 1;
const END_LINE = 2;
const BEGIN_TEXT = 4;
const END_TEXT = 8;
const WORD_BOUNDARY = 16;
const NO_WORD_BOUNDARY = 32;
/** Contexts are 6 bits. */
const CONTEXTS = 64;

/** Before the first byte or after the last one. */
export const NO_BYTE = -1;

interface Inst {
  op: number;
  out: number;
  arg: number;
  runes: Int32Array;
  matchRune(r: number): boolean;
}

/** A byte of RE2's \w ([0-9A-Za-z_]): what \b and \B look at on either side. */
export const isWord = (r: number): boolean =>
  (r >= 97 && r <= 122) || (r >= 65 && r <= 90) || (r >= 48 && r <= 57) || r === 95;

/** The empty-width assertions that hold between bytes r1 and r2 (NO_BYTE: the text's start or end), as RE2's. */
export function context(r1: number, r2: number): number {
  let op = 0;
  if (r1 < 0) op |= BEGIN_TEXT | BEGIN_LINE;
  if (r1 === 10) op |= BEGIN_LINE;
  if (r2 < 0) op |= END_TEXT | END_LINE;
  if (r2 === 10) op |= END_LINE;
  return op | (isWord(r1) !== isWord(r2) ? WORD_BOUNDARY : NO_WORD_BOUNDARY);
}

export class ByteProgram {
  readonly entry: number;
  readonly size: number;
  private readonly insts: Inst[];
  /** accepts[pc * 256 + b]: rune instruction pc takes byte b (the latin1 char b). */
  private readonly accepts: Uint8Array;
  private readonly leafCache: (Int32Array | undefined)[];
  private readonly seen: Uint8Array;
  private readonly stack: Int32Array;

  constructor(re: SafeRegex) {
    const prog = (re.re2() as unknown as { prog: { inst: Inst[]; start: number } }).prog;
    this.insts = prog.inst;
    this.entry = prog.start;
    this.size = prog.inst.length;
    this.accepts = new Uint8Array(this.size * 256);
    this.insts.forEach((inst, pc) => {
      if (!(inst.op >= ALT && inst.op <= RUNE_ANY_NOT_NL))
        throw new Error(`re2js opcode ${inst.op} is unknown to the expect VM: did the re2js version change?`);
      if (inst.op >= RUNE) for (let b = 0; b < 256; b++) this.accepts[pc * 256 + b] = acceptsByte(inst, b) ? 1 : 0;
    });
    this.leafCache = new Array<Int32Array | undefined>(this.size * CONTEXTS);
    this.seen = new Uint8Array(this.size);
    this.stack = new Int32Array(this.size + 1);
  }

  isMatch(pc: number): boolean {
    return this.insts[pc]!.op === MATCH;
  }

  /** Where rune instruction pc goes on byte b, or -1. */
  next(pc: number, b: number): number {
    return this.accepts[pc * 256 + b] === 1 ? this.insts[pc]!.out : -1;
  }

  /** The rune and MATCH instructions pc reaches without a byte in context `cond`, in RE2's priority order. */
  leaves(pc: number, cond: number): Int32Array {
    const key = pc * CONTEXTS + cond;
    return (this.leafCache[key] ??= this.walk(pc, cond));
  }

  private walk(from: number, cond: number): Int32Array {
    const { stack, seen } = this;
    const visited: number[] = [];
    const out: number[] = [];
    let n = 0;
    stack[n++] = from;
    while (n > 0) {
      let pc = stack[--n]!;
      while (pc !== 0 && seen[pc] === 0) {
        seen[pc] = 1;
        visited.push(pc);
        const inst = this.insts[pc]!;
        switch (inst.op) {
          case ALT:
          case ALT_MATCH:
            stack[n++] = inst.arg;
            pc = inst.out;
            break;
          case EMPTY_WIDTH:
            pc = (inst.arg & ~cond) === 0 ? inst.out : 0;
            break;
          case CAPTURE:
          case NOP:
            pc = inst.out;
            break;
          case FAIL:
            pc = 0;
            break;
          default: // MATCH or a rune instruction: a leaf
            out.push(pc);
            pc = 0;
        }
      }
    }
    for (const pc of visited) seen[pc] = 0;
    return Int32Array.from(out);
  }
}

function acceptsByte(inst: Inst, b: number): boolean {
  switch (inst.op) {
    case RUNE:
      return inst.matchRune(b);
    case RUNE1:
      return b === inst.runes[0];
    case RUNE_ANY:
      return true;
    case RUNE_ANY_NOT_NL:
      return b !== 10;
    default:
      return false;
  }
}
