// Child processes the benchmarks measure: a sockscope server and the plain-Node baselines, each in its own process
// so its RSS is its own and both sides of a connection get a core.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Whatever happens to the benchmark, the servers it started do not outlive it.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resident set size of a process in bytes, from /proc (what `ps` calls RSS). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

function firstLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 30 s: ${err || out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}): ${err || out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface SockscopeServer {
  pid: number;
  url: string;
  port: number;
  token: string;
  /** JSON REST call with the token; throws with the API's error on a non-2xx reply. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** `backend/server.ts` exactly as `npm start` runs it (UI assets optional), on a free port, logging off. */
export { track };

export async function startSockscope(args: string[] = []): Promise<SockscopeServer> {
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under the benchmark's load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = track(
    spawn(
      process.execPath,
      [...nodeArgs, '--import', 'tsx', 'backend/server.ts', '--port', '0', '--log-level', 'error', ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  const m = await firstLine(child, /listening on (http:\/\/127\.0\.0\.1:(\d+))\/\?token=(\S+)/, 'sockscope');
  const url = m[1]!;
  const token = m[3]!;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(url + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return { pid: child.pid!, url, port: Number(m[2]), token, api, stop: () => stop(child) };
}

export interface PlainServer {
  pid: number;
  port: number;
  /** Asks the child for a figure it keeps (bytes received, connections held...). */
  ask<T = unknown>(question: string): Promise<T>;
  stop(): Promise<void>;
}

/** A baseline server (bench/servers/plain.ts) in one of its modes. */
export async function startPlain(mode: string): Promise<PlainServer> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'bench/servers/plain.ts', mode], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  const m = await firstLine(child, /port (\d+)/, `plain ${mode} server`);
  let next = 0;
  const ask = <T>(question: string): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next;
      const onMessage = (msg: { id: number; answer: T }) => {
        if (msg.id !== id) return;
        child.off('message', onMessage);
        resolve(msg.answer);
      };
      child.on('message', onMessage);
      child.send({ id, question });
    });
  return { pid: child.pid!, port: Number(m[1]), ask, stop: () => stop(child) };
}
