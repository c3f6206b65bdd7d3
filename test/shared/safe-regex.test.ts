// compileRegex: RE2 for every user pattern; what a linear-time engine cannot run is refused in plain words.
import { describe, expect, it } from 'vitest';
import { compileRegex, execRegex, LINEAR_TIME_NOTE } from '../../shared';

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
});
