// `npm run test:all`: make sure Chromium exists, run the type check, lint and format check, build the UI, run every
// Vitest project, and end with the line CI reads: `N passed, N failed` (plus `, N skipped` when nonzero). Each static
// check that fails counts as one failure, so CI fails on a type error, a lint error or an unformatted file.
// Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (p) => join(root, 'node_modules', p);

function run(cmd, args, env = {}) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) console.log(`could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function ensureChromium() {
  const path = process.env.SOCKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(path)) return console.log(`Chromium: ${path}`);
  if (process.getuid?.() !== 0) {
    console.log(`Chromium not found at ${path}. Install it with: sudo apt-get install -y chromium`);
    console.log('The browser tests will fail until it is installed (they never skip).');
    return;
  }
  console.log(
    `Chromium not found at ${path}; installing Debian's package: apt-get update && apt-get install -y chromium`,
  );
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], env) !== 0 || run('apt-get', ['install', '-y', 'chromium'], env) !== 0) {
    console.log('apt-get failed: the browser tests will fail.');
  } else if (!existsSync(path)) {
    console.log(`chromium is installed, but not at ${path} (SOCKSCOPE_CHROMIUM): the browser tests will fail.`);
  }
}

/** Counts from vitest's JSON report; a file that failed before any test ran counts as one failure. */
function countResults(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let failed = report.numFailedTests ?? 0;
  for (const f of report.testResults ?? []) {
    const failedTests = (f.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (f.status === 'failed' && failedTests === 0) {
      failed++;
      console.log(`failed outside its tests: ${f.name}${f.message ? `\n  ${f.message.split('\n')[0]}` : ''}`);
    }
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

ensureChromium();
const checks = [
  ['type check', [bin('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']],
  ['lint', [bin('eslint/bin/eslint.js'), '.']],
  ['format check', [bin('prettier/bin/prettier.cjs'), '--check', '--log-level', 'warn', '.']],
];
const failedChecks = checks.filter(([, args]) => run(process.execPath, args) !== 0).map(([name]) => name);
for (const name of failedChecks) console.log(`${name} failed: counted as one failure.`);
const buildStatus = run(process.execPath, [bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
if (buildStatus !== 0) console.log('vite build failed: counted as one failure; the browser tests will fail too.');

const dir = mkdtempSync(join(tmpdir(), 'sockscope-test-'));
const jsonFile = join(dir, 'vitest.json');
const vitestStatus = run(process.execPath, [
  bin('vitest/vitest.mjs'),
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${jsonFile}`,
  ...process.argv.slice(2),
]);

let counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(jsonFile)) counts = countResults(jsonFile);
else console.log('vitest wrote no JSON report.');
rmSync(dir, { recursive: true, force: true });

const noneRan = counts.passed + counts.failed === 0;
if (noneRan) console.log('No test ran.');
else if (vitestStatus !== 0 && counts.failed === 0) {
  console.log(`vitest exited with status ${vitestStatus} (errors outside tests): counted as one failure.`);
  counts.failed++;
}
if (buildStatus !== 0) counts.failed++;
counts.failed += failedChecks.length;

const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
console.log(`\n${counts.passed} passed, ${counts.failed} failed${skipped}`);
process.exit(counts.failed > 0 || counts.passed === 0 ? 1 : 0);
