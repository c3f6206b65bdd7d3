// Every user regex (responder rules, expect, scenario checks) compiles here, with RE2 (re2js): matching time is linear
// in the input, so no bytes a peer sends can make a pattern backtrack for seconds on the event loop.
import { RE2JS, RE2JSSyntaxException } from 're2js';

export type SafeRegex = RE2JS;
export type CompiledRegex = { ok: true; re: SafeRegex } | { ok: false; message: string };

/** Why a pattern is refused rather than run: said after each "not supported". */
export const LINEAR_TIME_NOTE = 'sockscope runs patterns in linear time (RE2 syntax) so no peer input can stall it';

/**
 * The largest compiled program (RE2 instructions, RE2JS programSize()) a user pattern may have. Linear in the input is
 * not enough: each byte costs a step for every thread alive, up to one per instruction, and `\w{500}\W` compiles to 503
 * (a responder took 0.9 s over one 64 KiB read). Cost model, per 64 KiB (a read; RESPONDER_MATCH_BYTES), CPU time on
 * this project's 2-core machine, bait that keeps every thread alive (`node --import tsx test/shared/regex-cost.ts`):
 * - an expect (backend/expect's streaming VM): ~5 ns per byte per instruction; at this cap 4-11 ms;
 * - a responder rule (execRegex): a unit that does not match is cleared by a DFA pass in ~0.5 ms; one that matches
 *   then runs RE2JS's NFA for its groups over the unit, 20-35 ns per byte per instruction, ~50 with a group inside a
 *   repeat: at this cap x{29}[YZ] 45 ms, \w{29}\W 59 ms, (.{26})+Z 95 ms (24 instructions: 33, 44, 74 ms).
 * Typical protocol patterns fit: `\d+\s*END` 9, `^HTTP/1\.[01] (\d{3})` 17, an email-ish one 11,
 * `(?i)content-length:\s*(\d+)` 23, `(?i)transfer-encoding:\s*chunked` 29.
 */
export const MAX_REGEX_INSTRUCTIONS = 32;

/** JavaScript's flags that RE2 has; `u` changes nothing (RE2 always matches whole code points). */
const FLAG_BITS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0,
};

/**
 * Compiles a JavaScript-style pattern with flags from `imsu`. JavaScript-only spellings (`\u00e9`, `\cA`, `[^]`,
 * `(?<name>`) are translated; what only a backtracking engine can run is refused with a message saying so.
 */
export function compileRegex(source: string, flags = ''): CompiledRegex {
  let bits = 0;
  for (const f of flags) {
    const bit = FLAG_BITS[f];
    if (bit === undefined) return { ok: false, message: `flag ${f} is not supported (use i, m, s, u)` };
    bits |= bit;
  }
  const unsupported = unsupportedSyntax(source);
  if (unsupported !== null) return { ok: false, message: `${unsupported} not supported: ${LINEAR_TIME_NOTE}` };
  let re: SafeRegex;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(source), bits);
  } catch (err) {
    return { ok: false, message: syntaxMessage(err) };
  }
  const size = re.programSize();
  if (size > MAX_REGEX_INSTRUCTIONS)
    return {
      ok: false,
      message:
        `patterns larger than ${MAX_REGEX_INSTRUCTIONS} RE2 instructions are not supported (this one has ${size}: ` +
        `each byte costs time in proportion to them, and x{n} counts as n copies of x): ${LINEAR_TIME_NOTE}`,
    };
  return { ok: true, re };
}

/**
 * The leftmost-first match as RegExp.exec gives it (index, groups; undefined for a group that took no part). A DFA
 * pass without groups (RE2JS.test) answers "no match" first: a few ms for 64 KiB, where the NFA that finds groups
 * costs 20-50 ns per byte per instruction.
 */
export const execRegex = (re: SafeRegex, text: string): RegExpExecArray | null =>
  re.test(text) ? (re.exec(text) as RegExpExecArray | null) : null;

/** The first construct RE2 cannot run, named for a person ("back-references (\1) are"), or null. */
function unsupportedSyntax(source: string): string | null {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      // Inside a class, JavaScript reads \1 as an octal escape: RE2 refuses it with its own words.
      if (!inClass && /[1-9]/.test(next)) return `back-references (\\${/^[0-9]+/.exec(source.slice(i + 1))![0]}) are`;
      // The translation would quietly turn \k<name> into the letters "k<name>".
      if (next === 'k' && source[i + 2] === '<') return `back-references (\\k<...>) are`;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(' && source[i + 1] === '?') {
      const head = source.slice(i, i + 4);
      if (head.startsWith('(?=')) return 'lookahead (?=...) is';
      if (head.startsWith('(?!')) return 'negative lookahead (?!...) is';
      if (head === '(?<=') return 'lookbehind (?<=...) is';
      if (head === '(?<!') return 'negative lookbehind (?<!...) is';
      if (head.startsWith('(?>')) return 'atomic groups (?>...) are';
    } else if (/[+*?]/.test(c) && source[i + 1] === '+') return `possessive quantifiers (${c}+) are`;
  }
  return null;
}

function syntaxMessage(err: unknown): string {
  if (err instanceof RE2JSSyntaxException)
    return `not a valid regex (RE2 syntax): ${err.error}${err.input ? `: \`${err.input}\`` : ''}`;
  return `not a valid regex (RE2 syntax): ${err instanceof Error ? err.message : String(err)}`;
}
