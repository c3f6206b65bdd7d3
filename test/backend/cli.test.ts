// The CLI as a user runs it: `node bin/sockscope.mjs ...` in a child process, its output lines and exit code.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { RunResultSchema, type StepResult } from '../../shared';
import { runLines } from '../../backend/cli/output';
import { startApp } from '../helpers/app';
import { refusedPort } from '../helpers/loopback';
import { pythonServer, type PythonServer } from '../helpers/python-peer';

const BIN = fileURLToPath(new URL('../../bin/sockscope.mjs', import.meta.url));
const CLI_TIMEOUT_MS = 25_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; the child is killed (by its pid) if it outlives CLI_TIMEOUT_MS. */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, SOCKSCOPE_URL: '', SOCKSCOPE_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI still running after ${CLI_TIMEOUT_MS} ms: ${stdout}${stderr}`));
    }, CLI_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const HELLO = (text: string) => `
name: hello
steps:
  - listen: { name: srv, port: 0 }
  - connect: { name: cli, to: srv }
  - send: { on: cli, data: hello }
  - expect:
      on: srv.accepted[0]
      text: ${text}
      timeoutMs: 1000
  - reset: { on: cli }
  - expect: { on: "srv.accepted[0]", fault: ECONNRESET }
`;

let dir: string;
const pythons: PythonServer[] = [];
afterEach(async () => {
  for (const p of pythons.splice(0)) await p.close();
});
const file = async (name: string, text: string): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sockscope-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sockscope CLI', { timeout: CLI_TIMEOUT_MS + 5_000 }, () => {
  it('run: a passing file prints an ok line per step and the summary, exit 0', async () => {
    const r = await cli(['run', await file('pass.yaml', HELLO('hello'))]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^ok {6}1\/6 listen srv \(127\.0\.0\.1:[0-9]+\) +[0-9]+ ms$/);
    expect(lines[1]).toMatch(/^ok {6}2\/6 connect cli -> srv +[0-9]+ ms$/);
    expect(lines.slice(0, 6).every((l) => l.startsWith('ok '))).toBe(true);
    expect(lines[6]).toMatch(/^hello: passed \(6 steps, [0-9.]+ m?s\)$/);
  });

  it('run: a wrong expectation prints the FAILED line naming step, expected and arrived; exit 1', async () => {
    const r = await cli(['run', await file('fail.yaml', HELLO('hellp'))]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[3]).toMatch(
      /^FAILED {2}4\/6 expect srv\.accepted\[0\] text "hellp": expected text "hellp" on c-[0-9]+ \(in\) within 1000 ms; 5 bytes arrived after the cursor: "hello" +[0-9]+ ms$/,
    );
    expect(lines[4]).toBe('skipped 5/6 reset cli');
    expect(lines[5]).toBe('skipped 6/6 expect srv.accepted[0] fault ECONNRESET');
    expect(lines[6]).toMatch(/^hello: FAILED at step 4 \(1\.[0-9] s\)$/);
  });

  it("run: labels show the values of the run; a label's note and the step's share one bracket", async () => {
    const path = await file(
      'values.yaml',
      [
        'name: values',
        'vars: { one: hey }',
        'steps:',
        '  - listen: { name: srv, port: 0, accept: echo }',
        '  - connect: { name: cli, host: "${srv.host}", port: "${srv.port}" }',
        '  - send: { on: cli, data: "${vars.one}", split: { writes: 3 } }',
        '  - expect: { on: cli, text: hey }',
      ].join('\n'),
    );
    const r = await cli(['run', path]);
    expect(r.code, r.stderr).toBe(0);
    const [listen, connect, send] = r.stdout.split('\n');
    const port = /\(echo, 127\.0\.0\.1:([0-9]+)\)/.exec(listen!)?.[1];
    expect(listen).toMatch(/^ok {6}1\/4 listen srv \(echo, 127\.0\.0\.1:[0-9]+\) +[0-9]+ ms$/);
    expect(connect).toMatch(new RegExp(`^ok {6}2/4 connect cli -> 127\\.0\\.0\\.1:${port} +[0-9]+ ms$`));
    expect(send).toMatch(/^ok {6}3\/4 send cli "hey" in 3 writes +[0-9]+ ms$/);
  });

  it('output: the N/M counter is padded to the width of M, so labels line up from step 10 on', () => {
    const step = (index: number, status: StepResult['status']): StepResult => ({
      index,
      label: `wait ${index} ms`,
      status,
      elapsedMs: 1,
      message: null,
    });
    const steps = Array.from({ length: 12 }, (_, i) => step(i, i < 10 ? 'ok' : i === 10 ? 'failed' : 'skipped'));
    const lines = runLines({
      id: 'r-1',
      scenario: 'long',
      lab: null,
      session: 's-1',
      status: 'failed',
      elapsedMs: 20,
      steps,
      failedStep: 10,
      vars: {},
    });
    expect(lines[0]).toMatch(/^ok {7}1\/12 wait 0 ms +1 ms$/);
    expect(lines[9]).toMatch(/^ok {6}10\/12 wait 9 ms +1 ms$/);
    expect(lines[11]).toBe('skipped 12/12 wait 11 ms');
    expect(new Set(lines.slice(0, 12).map((l) => l.indexOf('wait')))).toEqual(new Set([14]));
    expect(new Set(lines.slice(0, 11).map((l) => l.search(/[0-9]+ ms$/)))).toEqual(new Set([62]));
    expect(lines[12]).toBe('long: FAILED at step 11 (20 ms)');
  });

  it('run: a bad file prints every error with its path, runs nothing, exit 2', async () => {
    const path = await file(
      'bad.yaml',
      'name: bad\nsteps:\n  - listen: { name: srv, port: 0 }\n  - lisen: {}\n  - send: { on: clii, data: x }\n',
    );
    const r = await cli(['run', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${path}: steps\\[1\\]: unknown step "lisen" \\(expected one of listen,`)),
      `${path}: steps[2].send.on: "clii" is not defined by an earlier step (known: srv)`,
      `${path}: 2 errors; nothing was run`,
    ]);
  });

  it('usage errors and a missing file exit 2; --help exits 0', async () => {
    const [noFile, unknown, missing, help, keep, serveHelp] = await Promise.all([
      cli(['run']),
      cli(['frobnicate']),
      cli(['run', join(dir, 'nope.yaml')]),
      cli(['--help']),
      cli(['lab', 'half-close', '--keep']),
      cli(['serve', '--help']),
    ]);
    // Nothing could be kept: the server without --url lives inside the command. Refused before anything runs.
    expect(keep.code).toBe(2);
    expect(keep.stdout).toBe('');
    expect(keep.stderr).toBe(
      'sockscope: --keep needs --url or SOCKSCOPE_URL: without one the server runs inside this command and exits with it (see sockscope --help)\n',
    );
    expect(serveHelp.code).toBe(0);
    expect(serveHelp.stdout).toMatch(/^Usage: sockscope serve \[options\]\n/);
    expect(help.stdout).toContain('steps[].index');
    expect(noFile.code).toBe(2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('sockscope: unknown command "frobnicate" (see sockscope --help)\n');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml: ENOENT/);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sockscope <command>/);
  });

  it('serve: a bad flag exits 2 with one line naming it, before any server starts', async () => {
    const runs = await Promise.all([
      cli(['serve', '--port', '0', '--bogus=1']),
      cli(['serve', '--port', '-1']),
      cli(['serve', '--port']),
    ]);
    expect(runs.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [2, '', 'sockscope: unknown argument "--bogus=1" (see sockscope serve --help)\n'],
      [2, '', 'sockscope: --port must be an integer 0..65535, got "-1" (see sockscope serve --help)\n'],
      [2, '', 'sockscope: --port needs a value (see sockscope serve --help)\n'],
    ]);
  });

  it('--url/--token: runs on a running server (seen in its event log); --json prints the RunResult', async () => {
    const server = await startApp({ uiDir: null });
    try {
      const path = await file('remote.yaml', HELLO('hello'));
      const r = await cli(['run', path, '--url', server.baseUrl, '--token', server.token, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const result: unknown = JSON.parse(r.stdout);
      expect(Compile(RunResultSchema).Check(result)).toBe(true);
      const runId = (result as { id: string }).id;
      const events = (await server.api('GET', '/api/events?limit=10000')).json.events as { type: string; id: string }[];
      expect(events.filter((e) => e.type === 'scenario/run' && e.id === runId)).toHaveLength(2);

      const viaUrl = await cli(['run', path], { SOCKSCOPE_URL: `${server.baseUrl}/?token=${server.token}` });
      expect(viaUrl.code, viaUrl.stderr).toBe(0);

      const [wrong, kept, noLab] = await Promise.all([
        cli(['run', path, '--url', `${server.baseUrl}/?token=wrong`]),
        cli(['run', path, '--url', server.baseUrl, '--token', server.token, '--keep']),
        cli(['lab', 'nope', '--url', server.baseUrl, '--token', server.token]),
      ]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toBe(
        `sockscope: missing or wrong token for ${server.baseUrl}: pass the URL sockscope printed (?token= included) as --url, or the token as --token or SOCKSCOPE_TOKEN\n`,
      );
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stderr).toBe('');
      expect(kept.stdout.trimEnd().split('\n').at(-1)).toMatch(
        /^kept: the sockets of session s-[0-9]+ are still open$/,
      );
      expect(noLab.code).toBe(2);
      expect(noLab.stderr).toMatch(
        /^sockscope: no lab "nope"; the labs are connect-before-listen, .*, time-wait \(sockscope lab --list says what each one shows\)\n$/,
      );
    } finally {
      await server.close();
    }
  });

  it('--cleanup: a failed run ends with a FIN by default (Python reads EOF); --cleanup reset sends an RST', async () => {
    const [graceful, abrupt] = await Promise.all([pythonServer(), pythonServer()]);
    pythons.push(graceful, abrupt);
    const noReply = (port: number) =>
      file(
        `no-reply-${port}.yaml`,
        `name: no reply\nsteps:\n  - connect: { name: cli, port: ${port} }\n  - send: { on: cli, data: hello }\n` +
          '  - expect: { on: cli, text: pong, timeoutMs: 200 }\n',
      );
    const [closed, reset] = await Promise.all([
      cli(['run', await noReply(graceful.port)]),
      cli(['run', await noReply(abrupt.port), '--cleanup', 'reset', '--json']),
    ]);
    expect(closed.code, closed.stderr).toBe(1);
    expect(await graceful.outcome()).toBe('EOF 5');
    expect(reset.code, reset.stderr).toBe(1);
    expect(await abrupt.outcome()).toBe('ConnectionResetError 5');
    expect(JSON.parse(reset.stdout)).toMatchObject({ status: 'failed', cleanup: { mode: 'reset', released: [] } });
  });

  it('--cleanup takes close or reset, and not with --keep', async () => {
    const path = await file('any.yaml', HELLO('hello'));
    const [bogus, both] = await Promise.all([
      cli(['run', path, '--cleanup=rst']),
      cli(['run', path, '--keep', '--cleanup', 'close', '--url', 'http://127.0.0.1:9']),
    ]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toBe('sockscope: --cleanup takes close or reset, not "rst" (see sockscope --help)\n');
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      'sockscope: --keep leaves the sockets open and --cleanup says how they end: give one of them (see sockscope --help)\n',
    );
  });

  it('output: a connection the graceful cleanup had to release gets a line before the verdict', () => {
    const lines = runLines({
      id: 'r-1',
      scenario: 'held',
      lab: null,
      session: 's-1',
      status: 'passed',
      elapsedMs: 1234,
      steps: [{ index: 0, label: 'connect cli -> 127.0.0.1:9000', status: 'ok', elapsedMs: 1, message: null }],
      failedStep: null,
      vars: {},
      cleanup: { mode: 'close', released: ['c-1'] },
    });
    expect(lines.slice(1)).toEqual([
      'cleanup: released c-1 without waiting: no FIN from the peer 1000 ms after ours',
      'held: passed (1 step, 1.2 s)',
    ]);
  });

  it('--url of a server that is not there: exit 2 naming the URL', async () => {
    const url = `http://127.0.0.1:${await refusedPort()}`;
    const r = await cli(['run', await file('gone.yaml', HELLO('hello')), '--url', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot reach ${url}: ECONNREFUSED`);
  });

  it('--url on a port fetch refuses to dial: says so and to use another port', async () => {
    const r = await cli(['lab', '--list', '--url', 'http://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'sockscope: GET /api/lab: cannot reach http://127.0.0.1:1: Node\'s fetch refuses port 1, which is on the fetch standard\'s list of "bad ports"; run sockscope on another port\n',
    );
  });
});
