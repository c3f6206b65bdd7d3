// A user's Python server as a real peer: python3 with the `socket` module accepts one connection and reads until
// recv() returns b'' (a clean EOF) or raises, then prints what it saw. Bounded in time; killed by its pid on close.
import { spawn, type ChildProcess } from 'node:child_process';
import { within } from './loopback';

/** Every blocking call of the script gives up after this long, so a forgotten child ends by itself. */
const PY_TIMEOUT_S = 15;
/**
 * How long to wait for python3 to start and print its port: a cold start on a busy machine takes a second or more.
 * This and outcome()'s 5 s are longer than vitest's default test timeout: tests using this helper set their own (30 s
 * in cleanup.test.ts and cli.test.ts).
 */
const START_MS = 10_000;

const SCRIPT = `
import select, socket, sys
hold = sys.argv[1] == 'hold'
srv = socket.socket()
srv.bind(('127.0.0.1', 0))
srv.listen(1)
srv.settimeout(${PY_TIMEOUT_S})
print('port', srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
conn.settimeout(${PY_TIMEOUT_S})
total = 0
try:
    while True:
        data = conn.recv(65536)
        if data == b'':
            print('EOF', total, flush=True)
            break
        total += len(data)
except ConnectionResetError:
    print('ConnectionResetError', total, flush=True)
except socket.timeout:
    print('timeout', total, flush=True)
if hold:
    # Like a server that never closes its side: wait (bounded) until the test closes our stdin.
    select.select([sys.stdin], [], [], ${PY_TIMEOUT_S})
conn.close()
`;

export interface PythonServer {
  port: number;
  /** The line it printed when its recv() loop ended: `EOF <bytes>`, `ConnectionResetError <bytes>` or `timeout <bytes>`. */
  outcome(timeoutMs?: number): Promise<string>;
  /** `hold` mode: close our side of its stdin, so it closes its connection. */
  release(): void;
  /** Kills it by pid if it is still running. */
  close(): Promise<void>;
}

/** `close`: it closes its connection on EOF, like a usual server loop; `hold`: it keeps it open until release(). */
export async function pythonServer(mode: 'close' | 'hold' = 'close'): Promise<PythonServer> {
  const child = spawn('python3', ['-c', SCRIPT, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const lines = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const check of lines) check();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // 'close', not 'exit': its last line may still be in the pipe when it exits.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const line = (re: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> =>
    within(
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) {
            lines.delete(check);
            resolve(m);
          }
        };
        lines.add(check);
        check();
        void exited.then(() => reject(new Error(`python3 exited before ${what}: ${out}${err}`)));
      }),
      timeoutMs,
      `python3 printing ${what} (${out}${err})`,
    );

  try {
    const port = Number((await line(/^port (\d+)$/m, START_MS, 'its port'))[1]);
    return {
      port,
      outcome: async (timeoutMs = 5000) =>
        (await line(/^((?:EOF|ConnectionResetError|timeout) \d+)$/m, timeoutMs, 'what recv() saw'))[1]!,
      release: () => void child.stdin!.end(),
      close: () => kill(child, exited),
    };
  } catch (e) {
    await kill(child, exited);
    throw e;
  }
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid!, 'SIGKILL');
  await exited;
}
