// The entry point as a user runs it (a real process), and parseConfig as a pure function.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../shared';
import { parseConfig, type Config, type ParseResult } from '../../backend/config';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/server.ts', ...args], {
    cwd: repo,
    env: { ...process.env, SOCKSCOPE_PORT: '', SOCKSCOPE_TOKEN: '', SOCKSCOPE_HOST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

function waitForLine(r: Run, re: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`no line matching ${re} within ${timeoutMs} ms; stdout=${r.stdout()} stderr=${r.stderr()}`)),
      timeoutMs,
    );
    const check = () => {
      const m = re.exec(r.stdout());
      if (m) {
        clearTimeout(timer);
        r.child.stdout!.off('data', check);
        resolve(m);
      }
    };
    r.child.stdout!.on('data', check);
    r.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before printing; stdout=${r.stdout()} stderr=${r.stderr()}`));
    });
    check();
  });
}

const URL_LINE = /^sockscope listening on http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9._~-]+)\n/;

describe('backend/server.ts', () => {
  it('prints the URL line, serves /api/health, and exits 0 on SIGTERM', async () => {
    const r = run(['--port', '0']);
    const m = await waitForLine(r, URL_LINE);
    const [, port, token] = m;
    expect(token!.length).toBeGreaterThanOrEqual(32); // 24 random bytes, base64url
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true });
    const info = await fetch(`http://127.0.0.1:${port}/api/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(info.status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toEqual({ code: 0, signal: null });
    expect(r.stderr()).toBe('');
  }, 30_000);

  it('takes the token and port from the environment', async () => {
    const r = run([], { SOCKSCOPE_PORT: '0', SOCKSCOPE_TOKEN: 'env-token-0123456789' });
    const m = await waitForLine(r, URL_LINE);
    expect(m[2]).toBe('env-token-0123456789');
    r.child.kill('SIGINT');
    expect((await r.exited).code).toBe(0);
  }, 30_000);

  it('hands --deny-target and --allow-target to the inspector (GET /api/info lists them)', async () => {
    const r = run(['--port', '0', '--deny-target', '10.9.0.0/16'], { SOCKSCOPE_ALLOW_TARGETS: '169.254.169.254' });
    const [, port, token] = await waitForLine(r, URL_LINE);
    const info = await fetch(`http://127.0.0.1:${port}/api/info`, { headers: { authorization: `Bearer ${token}` } });
    const { targets } = (await info.json()) as { targets: Array<{ action: string; cidr: string; source: string }> };
    expect(targets.filter((t) => t.source === 'user')).toEqual([
      expect.objectContaining({ action: 'deny', cidr: '10.9.0.0/16' }),
      expect.objectContaining({ action: 'allow', cidr: '169.254.169.254/32' }),
    ]);
    r.child.kill('SIGTERM');
    expect((await r.exited).code).toBe(0);
  }, 30_000);

  it('exits 1 with one line naming the port and --port when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run(['--port', String(port)]);
      expect((await r.exited).code).toBe(1);
      const lines = r.stderr().split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(String(port));
      expect(lines[0]).toContain('EADDRINUSE');
      expect(lines[0]).toContain('--port');
      expect(r.stdout()).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 30_000);

  it('exits 2 with one line on a token shorter than 16 characters, before listening', async () => {
    const r = run(['--port', '0', '--token', 'short-token']);
    expect((await r.exited).code).toBe(2);
    expect(r.stderr().trim().split('\n')).toHaveLength(1);
    expect(r.stderr()).toMatch(/the token is 11 characters; at least 16/);
    expect(r.stdout()).toBe('');
  }, 30_000);

  it('exits 2 with one line on a bad port', async () => {
    const r = run(['--port', '70000']);
    expect((await r.exited).code).toBe(2);
    expect(r.stderr().trim().split('\n')).toHaveLength(1);
    expect(r.stderr()).toMatch(/--port must be an integer 0\.\.65535/);
  }, 30_000);
});

describe('parseConfig', () => {
  const ok = (result: ParseResult): Config => {
    if (result.kind !== 'run') throw new Error(`expected a config, got ${JSON.stringify(result)}`);
    return result.config;
  };
  const error = (result: ParseResult): string => {
    if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
    return result.message;
  };

  it('has safe defaults and a fresh random token', () => {
    const a = ok(parseConfig([], {}));
    expect(a).toMatchObject({
      port: 7070,
      host: '127.0.0.1',
      tokenGenerated: true,
      limits: {},
      allowedHosts: [],
      logLevel: 'warn',
    });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(ok(parseConfig([], {})).token).not.toBe(a.token);
  });

  it('reads flags, --name=value, and env; flags win', () => {
    const env = { SOCKSCOPE_PORT: '8080', SOCKSCOPE_HOST: '::1', SOCKSCOPE_TOKEN: 'from-env-0123456789' };
    expect(ok(parseConfig([], env))).toMatchObject({
      port: 8080,
      host: '::1',
      token: 'from-env-0123456789',
      tokenGenerated: false,
    });
    expect(
      ok(parseConfig(['--port', '9000', '--host=localhost', '--token', 't0k-0123456789abcdef'], env)),
    ).toMatchObject({
      port: 9000,
      host: 'localhost',
      token: 't0k-0123456789abcdef',
    });
    expect(ok(parseConfig([], { SOCKSCOPE_PORT: '' })).port).toBe(7070);
    expect(ok(parseConfig(['--port', '0'], {})).port).toBe(0);
    expect(ok(parseConfig(['--host', '[::1]'], {})).host).toBe('::1');
  });

  it('refuses bad ports with a one-line message', () => {
    for (const p of ['70000', '-1', 'abc', '80.5', '', '1e3']) {
      const message = error(parseConfig(['--port', p], {}));
      expect(message).toMatch(/--port must be an integer 0\.\.65535/);
      expect(message).not.toContain('\n');
    }
    expect(error(parseConfig([], { SOCKSCOPE_PORT: '65536' }))).toMatch(/SOCKSCOPE_PORT/);
  });

  it('refuses unknown arguments, missing values and unsafe tokens', () => {
    expect(error(parseConfig(['--prot', '1'], {}))).toMatch(/unknown argument/);
    expect(error(parseConfig(['--port'], {}))).toMatch(/--port needs a value/);
    expect(error(parseConfig(['--token', 'a;b'], {}))).toMatch(/token/);
    expect(error(parseConfig(['--token', 'a'.repeat(15)], {}))).toMatch(/the token is 15 characters; at least 16/);
    expect(error(parseConfig([], { SOCKSCOPE_TOKEN: 'abc' }))).toMatch(/the token is 3 characters/);
    expect(ok(parseConfig(['--token', 'a'.repeat(16)], {})).token).toBe('a'.repeat(16));
    expect(error(parseConfig(['--host', 'a b'], {}))).toMatch(/host/);
  });

  it('overrides limits by name, kebab-case, shorthand or env, with k/m/g suffixes', () => {
    const c = ok(
      parseConfig(
        [
          '--limit',
          'maxConnections=10',
          '--limit',
          'stream-soft-bytes=64k',
          '--max-listeners',
          '3',
          '--capture-bytes=2m',
        ],
        {
          SOCKSCOPE_LIMITS: 'eventLogEvents=100, maxConnections=5',
        },
      ),
    );
    expect(c.limits).toEqual({
      eventLogEvents: 100,
      maxConnections: 10,
      streamSoftBytes: 64 * 1024,
      maxListeners: 3,
      capturePerConnectionBytes: 2 * 1024 * 1024,
    });
    expect(ok(parseConfig(['--limit', 'streamSoftBytes=0'], {})).limits.streamSoftBytes).toBe(0);
    expect(error(parseConfig(['--limit', 'maxConnections=0'], {}))).toMatch(/maxConnections must be an integer >= 1/);
    expect(error(parseConfig(['--limit', 'nope=1'], {}))).toMatch(/unknown limit "nope"/);
    expect(error(parseConfig(['--limit', 'maxConnections'], {}))).toMatch(/name=value/);
    expect(error(parseConfig(['--max-connections', 'many'], {}))).toMatch(/maxConnections/);
  });

  it('takes the HTTP caps as shorthands', () => {
    expect(ok(parseConfig(['--max-http-connections', '8', '--max-stream-clients=2'], {})).limits).toEqual({
      maxHttpConnections: 8,
      maxStreamClients: 2,
    });
    expect(error(parseConfig(['--max-stream-clients', '0'], {}))).toMatch(/maxStreamClients must be an integer/);
  });

  it('collects target rules from repeatable flags after the env lists, and refuses a malformed one', () => {
    const c = ok(
      parseConfig(['--allow-target', '10.0.0.0/8', '--deny-target=10.0.0.5', '--allow-target', 'fe80::/10'], {
        SOCKSCOPE_ALLOW_TARGETS: '169.254.169.254/32, 192.168.0.0/16',
        SOCKSCOPE_DENY_TARGETS: '10.1.0.0/16',
      }),
    );
    expect(c.targets).toEqual({
      allow: ['169.254.169.254/32', '192.168.0.0/16', '10.0.0.0/8', 'fe80::/10'],
      deny: ['10.1.0.0/16', '10.0.0.5'],
    });
    expect(ok(parseConfig([], {})).targets).toEqual({ allow: [], deny: [] });
    expect(error(parseConfig(['--deny-target', '10.0.0.0/33'], {}))).toMatch(/^--deny-target: /);
    expect(error(parseConfig([], { SOCKSCOPE_ALLOW_TARGETS: 'nope' }))).toMatch(/^SOCKSCOPE_ALLOW_TARGETS: /);
    expect(error(parseConfig(['--allow-target'], {}))).toMatch(/--allow-target needs a value/);
  });

  it('answers --help with the options and every limit', () => {
    const result = parseConfig(['--port', 'bogus', '--help'], {});
    expect(result.kind).toBe('help');
    if (result.kind !== 'help') return;
    const words = ['--port', '--host', '--token', '--limit', 'SOCKSCOPE_PORT', '--allow-target', '--deny-target'];
    for (const word of [...words, 'SOCKSCOPE_ALLOW_TARGETS', 'SOCKSCOPE_DENY_TARGETS', '--max-http-connections'])
      expect(result.text).toContain(word);
    for (const word of ['--max-stream-clients', ...Object.keys(DEFAULT_LIMITS)]) expect(result.text).toContain(word);
  });

  it('reads extra allowed hosts and the log level', () => {
    const c = ok(
      parseConfig(['--allow-host', 'box.lan', '--log-level', 'info'], { SOCKSCOPE_ALLOW_HOSTS: 'a.lan, b.lan' }),
    );
    expect(c.allowedHosts).toEqual(['a.lan', 'b.lan', 'box.lan']);
    expect(c.logLevel).toBe('info');
    expect(error(parseConfig(['--log-level', 'loud'], {}))).toMatch(/log level/);
  });
});
