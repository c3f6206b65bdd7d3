// compileRegex: RE2 for every user pattern; what a linear-time engine cannot run is refused in plain words.
import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { compileRegex, execRegex, LINEAR_TIME_NOTE, MAX_REGEX_INSTRUCTIONS } from '../../shared';

const refusal = (source: string, flags?: string) => {
  const compiled = compileRegex(source, flags);
  return compiled.ok ? 'compiled' : compiled.message;
};
const run = (source: string, text: string, flags?: string) => {
  const compiled = compileRegex(source, flags);
  if (!compiled.ok) throw new Error(compiled.message);
  return execRegex(compiled.re, text);
};

describe('compileRegex', () => {
  it('refuses what only a backtracking engine runs, saying why', () => {
    expect(refusal('(a)\\1')).toBe(
      'back-references (\\1) are not supported: sockscope runs patterns in linear time (RE2 syntax) so no peer input can stall it',
    );
    expect(refusal('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10')).toBe(
      `back-references (\\10) are not supported: ${LINEAR_TIME_NOTE}`,
    );
    expect(refusal('(?<x>a)\\k<x>')).toBe(`back-references (\\k<...>) are not supported: ${LINEAR_TIME_NOTE}`);
    expect(refusal('a(?=b)')).toBe(`lookahead (?=...) is not supported: ${LINEAR_TIME_NOTE}`);
    expect(refusal('a(?!b)')).toBe(`negative lookahead (?!...) is not supported: ${LINEAR_TIME_NOTE}`);
    expect(refusal('(?<=a)b')).toBe(`lookbehind (?<=...) is not supported: ${LINEAR_TIME_NOTE}`);
    expect(refusal('(?<!a)b')).toBe(`negative lookbehind (?<!...) is not supported: ${LINEAR_TIME_NOTE}`);
    expect(refusal('(?>a+)b')).toBe(`atomic groups (?>...) are not supported: ${LINEAR_TIME_NOTE}`);
    expect(refusal('a++b')).toBe(`possessive quantifiers (++) are not supported: ${LINEAR_TIME_NOTE}`);
  });

  it('escaped, in a class, or a group name: not mistaken for what is refused', () => {
    expect(refusal('\\\\1')).toBe('compiled'); // a backslash, then 1
    expect(refusal('[(?=]')).toBe('compiled');
    expect(refusal('\\++')).toBe('compiled');
    expect(refusal('(?<name>a)')).toBe('compiled');
    expect(refusal('\\p{L}+\\x{e9}+')).toBe('compiled');
  });

  it('plain syntax errors in RE2 words', () => {
    expect(refusal('(')).toBe('not a valid regex (RE2 syntax): missing closing ): `(`');
    expect(refusal('a{2,1}')).toBe('not a valid regex (RE2 syntax): invalid repeat count: `{2,1}`');
    expect(refusal('a', 'g')).toBe('flag g is not supported (use i, m, s, u)');
  });

  it('takes JavaScript spellings and the flags i, m, s, u', () => {
    expect(run('\\u00e9(?<word>\\w+)', 'x\u00e9abc')?.groups).toEqual({ word: 'abc' });
    expect(run('a[^]b', 'a\nb')?.[0]).toBe('a\nb');
    expect(run('\\cA\\/', '\x01/')?.index).toBe(0);
    expect(run('HELLO', 'say hello', 'i')?.index).toBe(4);
    expect(run('^b$', 'a\nb\nc', 'm')?.index).toBe(2);
    expect(run('a.b', 'a\nb', 's')?.[0]).toBe('a\nb');
    expect(run('a.b', 'a\nb', 'u')).toBeNull();
    expect(run('(x)?y', 'y')?.[1]).toBeUndefined();
  });

  it('^(a+)+$ on the bait that makes a backtracking engine run for seconds: no match', () => {
    expect(run('^(a+)+$', `${'a'.repeat(64)}!`)).toBeNull();
    expect(run('^(a+)+$', 'a'.repeat(64))?.[1]).toBe('a'.repeat(64));
  });

  it('refuses a program past MAX_REGEX_INSTRUCTIONS, saying how large it is; admits typical protocol patterns', () => {
    const tooLarge = (size: number) =>
      `patterns larger than ${MAX_REGEX_INSTRUCTIONS} RE2 instructions are not supported (this one has ${size}: ` +
      `each byte costs time in proportion to them, and x{n} counts as n copies of x): ${LINEAR_TIME_NOTE}`;
    expect(refusal('\\w{500}\\W')).toBe(tooLarge(503));
    expect(refusal('x{1000}[YZ]')).toBe(tooLarge(1003));
    expect(refusal('[^Z]{1000}Z')).toBe(tooLarge(1003));
    // The boundary: x{n}[YZ] compiles to n + 3 instructions.
    expect(refusal(`x{${MAX_REGEX_INSTRUCTIONS - 3}}[YZ]`)).toBe('compiled');
    expect(refusal(`x{${MAX_REGEX_INSTRUCTIONS - 2}}[YZ]`)).toBe(tooLarge(MAX_REGEX_INSTRUCTIONS + 1));
    for (const typical of [
      '\\d+\\s*END',
      '^HTTP/1\\.[01] (\\d{3})',
      '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}',
      '(?i)content-length:\\s*(\\d+)\\r\\n',
      '(?i)transfer-encoding:\\s*chunked',
      '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}',
      '^([A-Z]+) (\\S+) HTTP/1\\.[01]\\r\\n',
    ])
      expect(refusal(typical), typical).toBe('compiled');
  });

  it('execRegex (a DFA pass, then the groups) answers as RE2JS.exec', () => {
    const texts = [
      '',
      'a',
      'PING abc\r\n',
      'x'.repeat(40) + 'Y',
      'aaa bbb\nccc',
      'caf\u00e9 \u{1F600}!',
      'ab'.repeat(50) + 'c',
    ];
    const patterns = [
      '^PING (\\w+)',
      'x{20}[YZ]',
      '\\w{3}\\W',
      '(.{4})+c',
      '^(\\w+)$',
      '\\bb+',
      '(?m)^c',
      '\u00e9.(.)',
      '(a)?b',
    ];
    for (const p of patterns) {
      const compiled = compileRegex(p);
      if (!compiled.ok) throw new Error(compiled.message);
      const plain = RE2JS.compile(RE2JS.translateRegExp(p));
      for (const t of texts) expect(execRegex(compiled.re, t), `${p} on ${JSON.stringify(t)}`).toEqual(plain.exec(t));
    }
  });
});
