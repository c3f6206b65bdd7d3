// The streaming regex search behind expect: the same answer as RE2JS.exec on the text so far, however the text is cut
// into reads; matches across reads; work that follows the new bytes; the look-back bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegex, execRegex, type SafeRegex } from '../../../shared';
import { ByteWindow } from '../../../backend/expect/byte-window';
import { RegexStream, regexWork } from '../../../backend/expect/regex-stream';

const re = (source: string, flags = ''): SafeRegex => {
  const compiled = compileRegex(source, flags);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.re;
};
const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** What RegExp.exec on the text so far would say (RE2JS's exec: the same leftmost-first match), as the stream says it. */
function execNow(r: SafeRegex, text: string) {
  const m = execRegex(r, text);
  if (m === null) return null;
  const groups = Array.from(m, (g) => (g === undefined ? null : g));
  return { start: m.index, end: m.index + m[0].length, groups };
}

/** Every push's answer, until the first match. */
function streamed(r: SafeRegex, reads: string[], lookback = 1 << 20) {
  const s = new RegexStream(r, 0, lookback);
  const answers = [];
  for (const read of reads) {
    const found = s.push(latin1(read));
    expect(s.broken).toBeNull();
    answers.push(found && { ...found, groups: found.groups.map((g) => g && g.toString('latin1')) });
    if (found) break;
  }
  return answers;
}

/** `text` cut at the given lengths (the rest is one last read). */
function cut(text: string, sizes: number[]): string[] {
  const reads: string[] = [];
  let at = 0;
  for (const n of sizes) {
    if (at >= text.length) break;
    reads.push(text.slice(at, at + n));
    at += n;
  }
  if (at < text.length) reads.push(text.slice(at));
  return reads;
}

describe('RegexStream', () => {
  const patterns = [
    'a+b',
    '\\d+\\s*END',
    '^ab',
    '(?m)^b',
    'b$',
    '(?m)b$',
    '\\bab\\b',
    'a\\B',
    '(a|ab)(c|bcd)',
    'x*',
    '(a*)+$',
    '[^a]+',
    'ab|b',
    '(?s).c',
    '.c',
    'a{2,3}',
    '(?i)AB',
    '(a)(b)?',
    'c(?:a|b)*?d',
    '(?U)a+',
    '\\x{e9}+',
  ];

  it('answers as RE2JS.exec on the text so far, after every read, however the text is cut', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', ' ', '\n', '1', 'E', 'N', 'D', '\u00e9'), { maxLength: 24 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 24 }),
        (pattern, chars, sizes) => {
          const r = re(pattern);
          const text = chars.join('');
          const reads = cut(text, sizes);
          const answers = streamed(r, reads);
          let sofar = '';
          answers.forEach((answer, i) => {
            sofar += reads[i];
            expect(answer, `${pattern} on ${JSON.stringify(reads.slice(0, i + 1))}`).toEqual(execNow(r, sofar));
          });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds a match spanning two reads, with its groups and stream offsets', () => {
    const s = new RegexStream(re('HTTP/(\\d\\.\\d) (\\d+)'), 100, 1 << 20);
    expect(s.push(latin1('junk HT'))).toBeNull();
    const found = s.push(latin1('TP/1.1 200 OK'));
    expect(found?.start).toBe(105);
    expect(found?.end).toBe(117);
    expect(found?.groups.map((g) => g?.toString())).toEqual(['HTTP/1.1 200', '1.1', '200']);
  });

  it('costs work in proportion to the new bytes: 10 000 reads of 10 digits, then END', () => {
    const s = new RegexStream(re('\\d+\\s*END'), 0, 1 << 20);
    const before = { ...regexWork };
    const read = latin1('1234567890');
    for (let i = 0; i < 10_000; i++) expect(s.push(read)).toBeNull();
    const found = s.push(latin1(' END'));
    const total = 10_000 * read.length + 4;
    expect(found).toMatchObject({ start: 0, end: total });
    // Each byte stepped once; RE2JS reads the text once, to pick the match. Re-scanning the whole window after every
    // read, as before, would read 10 000 * 50 KB on average: about 500 MB.
    expect(regexWork.stepped - before.stepped).toBe(total);
    expect(regexWork.picked - before.picked).toBe(total);
  });

  it('a match up to the look-back is always found, even behind a thread that reaches further back', () => {
    // `a+b` on 40 a's then b: the leftmost match (41 bytes) is longer than twice the look-back, but "aaaaab" fits.
    const s = new RegexStream(re('a+b'), 0, 6);
    const before = regexWork.stepped;
    for (let i = 0; i < 40; i++) expect(s.push(latin1('a'))).toBeNull();
    const found = s.push(latin1('b'));
    expect(found).not.toBeNull();
    expect(found!.end).toBe(41);
    expect(found!.start).toBeGreaterThanOrEqual(41 - 2 * 6);
    expect(found!.start).toBeLessThanOrEqual(41 - 6);
    expect(s.leftBefore).toBe(found!.start);
    // A second VM runs only while a match could start more than the look-back back: each byte at most twice.
    expect(regexWork.stepped - before).toBeLessThanOrEqual(2 * 41);
  });

  it('after a gap the text starts again: ^ matches at the first byte after it', () => {
    const s = new RegexStream(re('^b'), 0, 1 << 20);
    expect(s.push(latin1('ab'))).toBeNull();
    s.gap(10);
    expect(s.push(latin1('bc'))).toMatchObject({ start: 10, end: 11 });
  });

  it('keeps only the bytes a match could still start in', () => {
    const s = new RegexStream(re('ab'), 0, 1 << 20);
    const before = regexWork.picked;
    for (let i = 0; i < 1000; i++) s.push(latin1('x'.repeat(100)));
    expect(s.push(latin1('ab'))).toMatchObject({ start: 100_000, end: 100_002 });
    // RE2JS picked the match from the last read and the byte before it, not from 100 KB of x's.
    expect(regexWork.picked - before).toBe(3);
  });
});

describe('ByteWindow', () => {
  it('reads of any size, sliced by stream offset across its blocks; the front dropped', () => {
    const w = new ByteWindow(1000);
    let all = '';
    for (let i = 0; i < 70_000; i++) {
      const b = String.fromCharCode(97 + (i % 26));
      w.append(latin1(b));
      all += b;
    }
    const big = 'X'.repeat(40_000);
    w.append(latin1(big));
    all += big;
    w.append(latin1('tail'));
    all += 'tail';
    const at = (from: number, to: number) => w.slice(1000 + from, 1000 + to).toString('latin1');
    expect(at(65_530, 65_545)).toBe(all.slice(65_530, 65_545));
    expect(at(69_990, 110_010)).toBe(all.slice(69_990, 110_010));
    w.dropBefore(1000 + 100_000);
    expect(at(100_000, all.length)).toBe(all.slice(100_000));
    w.reset(5);
    w.append(latin1('xy'));
    expect(w.slice(5, 7).toString()).toBe('xy');
  });
});
