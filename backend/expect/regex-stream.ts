// A regex searched over a stream for expect: a Pike VM (regex-vm.ts) whose threads carry over from one read to the
// next, so each byte is stepped once however small the reads (twice while a match could start far back), and only the
// bytes where a match could still start are kept. Once a match exists, RE2JS itself picks it (leftmost-first, with
// groups) from those bytes.
import type { SafeRegex } from '../../shared';
import { ByteWindow } from './byte-window';
import { ByteProgram } from './regex-program';
import { StateCache } from './regex-states';
import { RegexVm, regexWork } from './regex-vm';

export { regexWork };

export interface RegexFound {
  start: number;
  end: number;
  /** The matched bytes, then each group's (null when it took no part). */
  groups: (Buffer | null)[];
}

/**
 * Fed the bytes after `textStart` (the cursor: `^` matches there) read by read. After each read the text so far is
 * searched as if it ended there, as RegExp.exec on it would: `\d+` matches "12" before "34" arrives, `a$` at a read's
 * end. A match up to `lookback` bytes long is always found: while a match could still start more than `lookback`
 * bytes back, a second VM runs from there on; once one could start 2 * lookback back, the second VM takes over and
 * older bytes leave the window.
 */
export class RegexStream {
  private readonly prog: ByteProgram;
  private readonly cache: StateCache;
  /** Finds every match starting at or after its base. */
  private vm: RegexVm;
  /** Started `lookback` after the main VM's oldest thread, ready to replace it: no byte is ever stepped again. */
  private shadow: RegexVm | null = null;
  /** Bytes from one before the oldest possible match start to `pos`. */
  private readonly held: ByteWindow;
  private pos: number;
  private textStart: number;

  /** Set when RE2JS finds no match where the VM saw one: a bug, said rather than waited on. */
  broken: string | null = null;

  constructor(
    private readonly re: SafeRegex,
    start: number,
    readonly lookback: number,
  ) {
    this.prog = new ByteProgram(re);
    this.cache = new StateCache(this.prog);
    this.vm = new RegexVm(this.cache, this.prog.size, start);
    this.held = new ByteWindow(start);
    this.pos = this.textStart = start;
  }

  /** Where the window now starts, when bytes have left it; null while every byte since the start is still in reach. */
  get leftBefore(): number | null {
    return this.vm.base > this.textStart ? this.vm.base : null;
  }

  /** The next bytes of the stream; the leftmost-first match in the text so far, or null. */
  push(bytes: Buffer): RegexFound | null {
    if (bytes.length === 0) return null;
    this.held.append(bytes);
    const from = this.vm.oldest;
    const end = this.pos + bytes.length;
    // RE2JS reads up to the read's end even when the VM saw a match before it: `$`, `\b` and greedy parts see it all.
    if (this.run(bytes) || this.vm.matchesAtEnd()) return this.pick(Math.max(from, this.vm.base), end);
    this.trim();
    return null;
  }

  /** Bytes up to `offset` will never come: the text starts again there. */
  gap(offset: number): void {
    this.held.reset(offset);
    this.shadow = null;
    this.pos = this.textStart = offset;
    this.vm = new RegexVm(this.cache, this.prog.size, offset);
  }

  private run(bytes: Buffer): boolean {
    const { lookback } = this;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      // The main VM holds every thread the shadow has (and older ones): only its step can find a match.
      if (this.vm.step(c, this.pos)) return true;
      this.shadow?.step(c, this.pos);
      this.pos++;
      if (this.vm.oldest >= this.pos - lookback) this.shadow = null;
      else if (this.shadow === null) this.shadow = new RegexVm(this.cache, this.prog.size, this.pos, c);
      else if (this.vm.oldest < this.pos - 2 * lookback) {
        this.vm = this.shadow;
        this.shadow = null;
      }
    }
    return false;
  }

  /** RE2JS's own leftmost-first match starting at or after `from`, read from the held bytes up to `end`. */
  private pick(from: number, end: number): RegexFound | null {
    // One byte before `from` gives \b and a multiline ^ their context; at the text's start, ^ must match.
    const textFrom = from > this.textStart ? from - 1 : from;
    const text = this.held.slice(textFrom, end).toString('latin1');
    regexWork.picked += text.length;
    const m = this.re.matcher(text);
    if (!m.find(from - textFrom)) {
      this.broken = 'the streaming regex search and RE2 disagree about a match (a sockscope bug: please report it)';
      return null;
    }
    const groups: (Buffer | null)[] = [];
    for (let g = 0; g <= m.groupCount(); g++) {
      const s = m.group(g);
      groups.push(s === null ? null : Buffer.from(s, 'latin1'));
    }
    return { start: textFrom + m.start(0), end: textFrom + m.end(0), groups };
  }

  /** Drops held bytes no match can start in any more (keeping one for context). */
  private trim(): void {
    this.held.dropBefore(Math.max(this.textStart, this.vm.oldest - 1));
  }
}
