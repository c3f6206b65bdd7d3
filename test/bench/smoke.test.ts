// CI's short version of `npm run bench`: every benchmark program runs end to end with small workloads and writes
// its table. Targets are not asserted here (timing never fails the suite); errors and broken accounting are.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Results {
  smoke: boolean;
  results: { id: string; subject: { median: number }; baseline: { median: number }; ratio: number; notes: string[] }[];
  errors: string[];
}

describe('npm run bench -- --smoke', () => {
  it('runs B1-B6 with small workloads, prints the table and writes the results file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sockscope-bench-')), 'results.json');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--smoke', '--runs', '1', '--out', out],
      {
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\| B1 .*\n.*\| B2 .*\n.*\| B3 .*\n.*\| B4 .*\n.*\| B5 .*\n.*\| B6 /);
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    expect(results.errors).toEqual([]);
    expect(results.results.map((r) => r.id)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6']);
    for (const r of results.results) {
      expect(r.subject.median, r.id).toBeGreaterThan(0);
      expect(r.baseline.median, r.id).toBeGreaterThan(0);
    }
    // Accounting is not timing: every byte and every connection must be there even in the short run.
    const notes = results.results.flatMap((r) => r.notes).join('\n');
    expect(notes).not.toMatch(/MISMATCH/);
    expect(notes).toMatch(/accepted (\d+) of \1 connections, dropped 0/);
  }, 300_000);
});
