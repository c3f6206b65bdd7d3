// SockscopeClient (sockscope/client) against a real server: typed calls, checked replies, errors as SockscopeError.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SockscopeClient, SockscopeError } from '../../../shared/client';
import { startApp, type StartedApp } from '../../helpers/app';
import { refusedPort } from '../../helpers/loopback';

let s: StartedApp;
let client: SockscopeClient;
beforeEach(async () => {
  s = await startApp({ uiDir: null });
  client = new SockscopeClient({ url: s.baseUrl, token: s.token });
});
afterEach(async () => {
  await s.close();
});

/** The SockscopeError a call rejects with. */
async function failure(call: Promise<unknown>): Promise<SockscopeError> {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SockscopeError);
  return e as SockscopeError;
}

describe('SockscopeClient', () => {
  it('drives sockets in a session: listen, connect ?wait, send, expect, report, close', async () => {
    const session = await client.createSession('client test');
    const srv = await client.listen({ port: 0, session: session.id });
    const cli = await client.connect({ host: '127.0.0.1', port: srv.local.port, session: session.id }, { wait: true });
    expect(cli.state).toBe('open');
    expect((await client.send(cli.id, 'hello')).bytes).toBe(5);
    const accepted = (await client.sockets()).connections.find((c) => c.parent === srv.id)!;
    const match = await client.expect(accepted.id, { text: 'hello', timeoutMs: 2000 });
    expect(match).toMatchObject({ id: accepted.id, condition: 'text', cursor: 5 });
    expect((await client.chunks(accepted.id)).chunks).toHaveLength(1);
    expect((await client.setFraming(cli.id, { kind: 'delimiter', delimiter: '\\n' })).framing).toMatchObject({
      kind: 'delimiter',
    });
    expect((await client.messages(cli.id, { direction: 'out' })).framing).not.toBeNull();
    expect((await client.sessionReport(session.id)).connections.total).toBe(2);
    const report = await client.closeSession(session.id);
    expect(report.closedAt).not.toBeNull();
    expect((await client.connection(cli.id)).state).toMatch(/closed|failed/);
  });

  it('takes the token from a ?token= URL, as sockscope prints it', async () => {
    const fromUrl = new SockscopeClient({ url: `${s.baseUrl}/?token=${s.token}` });
    expect(fromUrl.url).toBe(s.baseUrl);
    expect((await fromUrl.info()).httpPort).toBe(s.port);
  });

  it('runs and validates scenarios; lists and runs labs', async () => {
    const source = 'name: tiny\nsteps:\n  - listen: { name: srv, port: 0 }\n  - connect: { name: cli, to: srv }\n';
    expect(await client.validateScenario({ source })).toEqual({ ok: true, name: 'tiny', steps: 2, errors: [] });
    const run = await client.runScenario({ source });
    expect(run).toMatchObject({ scenario: 'tiny', status: 'passed' });
    const { labs } = await client.labs();
    expect(labs.length).toBeGreaterThan(0);
    const lab = await client.lab(labs[0]!.name);
    expect(lab.source).toContain('steps');
  });

  it('throws SockscopeError with the API code, status, field and seen', async () => {
    const bad = await failure(client.runScenario({ source: 'name: x\nsteps:\n  - send: { on: nope, data: x }\n' }));
    expect(bad).toMatchObject({ status: 400, code: 'BAD_SCENARIO', field: 'steps[0].send.on' });

    const srv = await client.listen({ port: 0 });
    const cli = await client.connect({ host: '127.0.0.1', port: srv.local.port }, { wait: true });
    await client.send(cli.id, 'abc');
    const accepted = (await client.sockets()).connections.find((c) => c.parent === srv.id)!;
    await client.expect(accepted.id, { bytes: 3 });
    const timeout = await failure(client.expect(accepted.id, { text: 'zzz', timeoutMs: 50 }));
    expect(timeout).toMatchObject({ status: 408, code: 'EXPECT_TIMEOUT', seen: { bytes: 0, state: 'open' } });

    const notFound = await failure(client.reset('c-999'));
    expect(notFound).toMatchObject({ status: 404, code: 'CONNECTION_NOT_FOUND', field: null });
    const refused = await failure(client.listen({ port: srv.local.port }));
    expect(refused.code).toBe('BIND_FAILED');
    expect(refused.fault?.code).toBe('EADDRINUSE');
  });

  it('UNAUTHORIZED without the token; NETWORK when nothing listens; BAD_REPLY for an answer off contract', async () => {
    expect(await failure(new SockscopeClient({ url: s.baseUrl }).sockets())).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });

    const fake = (body: unknown, status = 200): typeof fetch =>
      (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;
    const liar = new SockscopeClient({ url: s.baseUrl, token: 't', fetch: fake({ listeners: 'no' }) });
    expect(await failure(liar.sockets())).toMatchObject({ status: 200, code: 'BAD_REPLY' });
    const teapot = new SockscopeClient({ url: s.baseUrl, token: 't', fetch: fake('nope', 418) });
    expect(await failure(teapot.sockets())).toMatchObject({ status: 418, code: 'BAD_REPLY' });

    const url = `http://127.0.0.1:${await refusedPort()}`;
    const gone = await failure(new SockscopeClient({ url, token: 't' }).health());
    expect(gone).toMatchObject({ status: 0, code: 'NETWORK' });
    expect(gone.message).toBe(`GET /api/health: cannot reach ${url}: ECONNREFUSED`);
  });
});
