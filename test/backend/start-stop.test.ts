// Stopping sockscope as a script or a service manager does: SIGTERM to the process it started (npm, or the CLI), or
// Ctrl-C to the whole group. Every process of the tree must be gone soon after, the server closed cleanly on the way.
// Real processes throughout: npm, sh, node, tsx's esbuild service; the tree is read from /proc before the signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { refused } from '../helpers/loopback';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** Starting takes tsx's first compile of the backend, on a machine whose 2 cores other tests share. */
const START_MS = 30_000;
/** The server's own shutdown bound (SHUTDOWN_GRACE_MS, 5 s) plus npm's exit after its child's. */
const GONE_MS = 8_000;
/** /proc is polled: there is no event for the exit of a process that is not our child (npm's children, esbuild). */
const POLL_MS = 25;

const URL_LINE = /sockscope listening on http:\/\/127\.0\.0\.1:(\d+)\/\?token=/;

interface Launched {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A process as first seen: its pid with its start time, so a pid the kernel hands out again is not taken for it. */
interface Seen {
  pid: number;
  start: string;
}
const spawned: Seen[] = [];
afterEach(() => {
  // Whatever a failed test left running, by pid: only processes this file started or listed as their descendants.
  for (const p of spawned.splice(0)) if (alive(p)) process.kill(p.pid, 'SIGKILL');
});

/** Starts the command in its own process group and session (as a service manager would), waits for the URL line. */
async function launch(command: string, args: string[], env: Record<string, string> = {}): Promise<Launched> {
  const child = spawn(command, args, {
    cwd: repo,
    detached: true,
    env: { ...process.env, SOCKSCOPE_PORT: '', SOCKSCOPE_TOKEN: '', SOCKSCOPE_HOST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const self = stat(child.pid!);
  if (self) spawned.push(self);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within ${START_MS} ms: ${out}${err}`)), START_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = URL_LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then(() => reject(new Error(`exited before listening: ${out}${err}`)));
  });
  return { child, port, stdout: () => out, stderr: () => err, exited };
}

interface ProcStat extends Seen {
  ppid: number;
  pgid: number;
  state: string;
}

/** /proc/<pid>/stat: `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses, so split after the last ')'. */
function stat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 3, 4, 5 and 22 of proc(5): state, ppid, pgrp, starttime.
  return { pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]), start: fields[19]! };
}

/** A zombie has exited; it only waits for a parent (init, in a container maybe never) to reap it. */
const alive = (p: Seen): boolean => {
  const s = stat(p.pid);
  return s !== null && s.start === p.start && s.state !== 'Z';
};

/** The process, its descendants and the rest of its process group: everything that must end with it. */
function tree(root: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((d) => /^[0-9]+$/.test(d))
    .map((d) => stat(Number(d)))
    .filter((s): s is ProcStat => s !== null && s.state !== 'Z');
  const found = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of all)
      if (!found.has(s.pid) && (found.has(s.ppid) || s.pgid === root)) {
        found.add(s.pid);
        grew = true;
      }
  }
  return all.filter((s) => found.has(s.pid));
}

/** Resolves with the processes still alive once none is, or after GONE_MS. */
async function survivors(procs: Seen[]): Promise<Seen[]> {
  const deadline = performance.now() + GONE_MS;
  for (;;) {
    const left = procs.filter(alive);
    if (left.length === 0 || performance.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const commandLine = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '(gone)';
  }
};

/**
 * Sends `signal` to `target` (a pid; negative: a process group) and checks that the whole tree ends and the port is
 * closed. The server logs (to stderr) as JSON; a `sockscope: ` line there is one of its errors.
 */
async function stop(run: Launched, target: number, signal: NodeJS.Signals): Promise<void> {
  const procs = tree(run.child.pid!);
  spawned.push(...procs);
  process.kill(target, signal);
  const left = await survivors(procs);
  const listing = left.map((p) => `${p.pid}: ${commandLine(p.pid)}`).join('\n');
  expect(
    left.map((p) => p.pid),
    `still running ${GONE_MS} ms after ${signal}:\n${listing}`,
  ).toEqual([]);
  expect(await refused(run.port)).toBe(true);
  expect(run.stderr()).not.toMatch(/sockscope: /);
}

const npm = (script: string) => launch('npm', ['run', '--silent', script, '--', '--port', '0', '--log-level', 'info']);

describe('stopping sockscope', { timeout: START_MS + GONE_MS + 5_000 }, () => {
  it('npm run serve: SIGTERM to npm alone ends every process, the server first closing cleanly (exit 0)', async () => {
    const run = await npm('serve');
    await stop(run, run.child.pid!, 'SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
  });

  it('npm run serve: Ctrl-C (SIGINT to the whole group, which npm forwards once more) is one clean stop', async () => {
    const run = await npm('serve');
    await stop(run, -run.child.pid!, 'SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stderr().match(/"msg":"shutting down"/g)).toHaveLength(1);
  });

  it('sockscope serve (the CLI, bin/sockscope.mjs): SIGTERM ends it and its children, exit 0', async () => {
    const run = await launch(process.execPath, ['bin/sockscope.mjs', 'serve', '--port', '0']);
    await stop(run, run.child.pid!, 'SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it('run by npm through a shell, as npx does (npm -> sh -c -> node): the server ends with the shell', async () => {
    // npx runs a bin as `sh -c 'sockscope serve ...'`; sh dies of npm's SIGTERM without passing it on.
    const run = await launch('sh', ['-c', `"${process.execPath}" bin/sockscope.mjs serve --port 0 --log-level info`], {
      npm_lifecycle_event: 'npx',
    });
    await stop(run, run.child.pid!, 'SIGTERM');
    expect(run.stderr()).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
  });
});
