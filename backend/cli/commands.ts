// run FILE, lab NAME, lab --list: each talks to a sockscope through SockscopeClient and returns the exit code.
import { readFile } from 'node:fs/promises';
import { checkScenarioText, formatScenarioError, plural, type RunResult } from '../../shared';
import type { SockscopeClient } from '../../shared/client';
import type { Target } from './args';
import { labLines, runLines } from './output';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;
export const EXIT_UNUSABLE = 2;

/** Reads and checks the file here first: a bad file never reaches the server, and every error is printed. */
export async function loadFile(file: string, target: Target, io: Io): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.err(`sockscope: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return null;
  }
  const checked = checkScenarioText(text);
  if (checked.ok) return text;
  if (target.json) io.out(JSON.stringify({ ok: false, errors: checked.errors }, null, 2));
  else {
    for (const e of checked.errors) io.err(`${file}: ${formatScenarioError(e)}`);
    io.err(`${file}: ${plural(checked.errors.length, 'error')}; nothing was run`);
  }
  return null;
}

export async function runFile(client: SockscopeClient, text: string, target: Target, io: Io): Promise<number> {
  const { keep, cleanup } = target;
  return report(await client.runScenario({ source: text, keep, ...(cleanup ? { cleanup } : {}) }), target, io);
}

export async function runLab(client: SockscopeClient, name: string, target: Target, io: Io): Promise<number> {
  return report(await client.runLab(name, { keep: target.keep, cleanup: target.cleanup }), target, io);
}

export async function listLabs(client: SockscopeClient, target: Target, io: Io): Promise<number> {
  const { labs } = await client.labs();
  if (target.json) io.out(JSON.stringify(labs, null, 2));
  else for (const line of labLines(labs)) io.out(line);
  return EXIT_PASSED;
}

function report(result: RunResult, target: Target, io: Io): number {
  if (target.json) io.out(JSON.stringify(result, null, 2));
  else for (const line of runLines(result)) io.out(line);
  if (target.keep && result.session !== null && !target.json)
    io.out(`kept: the sockets of session ${result.session} are still open`);
  return result.status === 'passed' ? EXIT_PASSED : EXIT_FAILED;
}
