// `npm run bench` (all), `npm run bench -- B1 B3` (some), `--smoke` (CI's short version), `--runs N`, `--out FILE`.
// Prints the table and writes bench/results.json. Never fails on a missed target: it reports it.
// Profiling: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" for the sockscope servers, BENCH_PAGE_PROFILE=FILE for B5's
// page, BENCH_SOCKSCOPE_ARGS="--limit name=N" to try B1 with other limits.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { b1 } from './b1-throughput';
import { b2 } from './b2-connect-rate';
import { b3 } from './b3-idle-memory';
import { b4 } from './b4-event-stream';
import { b5 } from './b5-ui-frames';
import { b6 } from './b6-flood-memory';
import type { Bench, BenchResult } from './lib/result';
import { renderTable } from './lib/table';

const BENCHES: Record<string, Bench> = { B1: b1, B2: b2, B3: b3, B4: b4, B5: b5, B6: b6 };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : smoke ? 2 : 5;
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1]! : new URL('./results.json', import.meta.url).pathname;
  const wanted = args.filter((a) => /^B\d$/i.test(a)).map((a) => a.toUpperCase());
  const unknown = wanted.filter((w) => !BENCHES[w]);
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  const ids = wanted.length ? wanted : Object.keys(BENCHES);
  const results: BenchResult[] = [];
  const errors: string[] = [];
  const started = Date.now();
  for (const id of ids) {
    const t = Date.now();
    console.log(`${id}: running (${runs} runs${smoke ? ', smoke' : ''})...`);
    try {
      results.push(await BENCHES[id]!({ smoke, runs, log: (l) => console.log(`  ${l}`) }));
      console.log(`${id}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (err) {
      errors.push(`${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      console.log(`${id}: ERROR ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log(`\n${renderTable(results)}\n`);
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '?',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  writeFileSync(
    out,
    JSON.stringify(
      { at: new Date().toISOString(), smoke, runs, machine, seconds: (Date.now() - started) / 1000, results, errors },
      null,
      2,
    ) + '\n',
  );
  console.log(
    `${results.filter((r) => r.holds).length} of ${ids.length} targets hold; results in ${out} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  if (errors.length) {
    console.log(errors.join('\n'));
    process.exitCode = 1;
  }
}

void main();
