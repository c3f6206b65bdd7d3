// What one 64 KiB read costs a regex at the size cap (not a test): `node --import tsx test/shared/regex-cost.ts`.
// The figures behind MAX_REGEX_INSTRUCTIONS (shared/safe-regex.ts): CPU time (the best of 5, so other processes on the
// machine count less) of a responder's execRegex on one 64 KiB unit matching at its end, one not matching, and of an
// expect's streaming search over 64 KiB, for shapes whose threads all stay alive on the bait, sized to the cap.
import { RegexStream } from '../../backend/expect/regex-stream';
import { compileRegex, execRegex, EXPECT_REGEX_LOOKBACK_BYTES, MAX_REGEX_INSTRUCTIONS } from '../../shared';

const READ = 64 * 1024;

function cpuMs(run: () => void, tries = 5): number {
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** shape(n) at the largest n that still compiles within `size` instructions. */
function sized(shape: (n: number) => string, size: number): string {
  let n = 1;
  for (;;) {
    const c = compileRegex(shape(n + 1));
    if (!c.ok || c.re.programSize() > size) return shape(n);
    n++;
  }
}

const shapes: { shape: (n: number) => string; fill: string; end: string }[] = [
  { shape: (n) => `x{${n}}[YZ]`, fill: 'x', end: 'Y' },
  { shape: (n) => `\\w{${n}}\\W`, fill: 'a', end: ' ' },
  { shape: (n) => `(.{${n}})+Z`, fill: 'a', end: 'Z' },
  { shape: (n) => `(.*)(.*){${n}}Z`, fill: 'x', end: 'Z' },
  { shape: (n) => `[ab]*a[ab]{${n}}$`, fill: 'ab', end: 'b' },
];

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [MAX_REGEX_INSTRUCTIONS];
for (const size of sizes) {
  console.log(`-- up to ${size} instructions: ms per 64 KiB read (CPU)`);
  for (const { shape, fill, end } of shapes) {
    const source = sized(shape, size);
    const c = compileRegex(source);
    if (!c.ok) throw new Error(c.message);
    const miss = fill.repeat(READ).slice(0, READ);
    const hit = miss.slice(0, READ - 1) + end;
    const bytes = Buffer.from(miss, 'latin1');
    const responderHit = cpuMs(() => execRegex(c.re, hit));
    const responderMiss = cpuMs(() => execRegex(c.re, miss));
    const expect = cpuMs(() => new RegexStream(c.re, 0, EXPECT_REGEX_LOOKBACK_BYTES).push(bytes));
    console.log(
      `${String(c.re.programSize()).padStart(4)} ${source.padEnd(16)} responder: match ${responderHit.toFixed(1)}, ` +
        `no match ${responderMiss.toFixed(1)}; expect ${expect.toFixed(1)}`,
    );
  }
}
