// The app's REST client (frontend/api/client.ts) as the page uses it: relative /api/... paths on its own server, no
// token (the cookie the token URL set authorises), checked replies, failures as SockscopeError with the API's code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SockscopeError, api, getResponders, putResponders, setFraming } from '../../frontend/api/client';
import { CONNECTION_ACTIONS } from '../../shared';
import { startApp, type StartedApp } from '../helpers/app';
import { refusedPort } from '../helpers/loopback';

const nodeFetch = globalThis.fetch;

interface Sent {
  url: string;
  init: RequestInit;
}

/**
 * The page's fetch: a browser resolves the app's relative paths against the page's origin and adds the cookie (and,
 * on writes, the Origin header). Records what the app asked for, as the app wrote it.
 */
function pageAt(origin: string, cookie: string | null): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    sent.push({ url: input, init });
    const headers = new Headers(init.headers);
    if (cookie !== null) headers.set('cookie', cookie);
    if ((init.method ?? 'GET') !== 'GET') headers.set('origin', origin);
    return nodeFetch(new URL(input, origin), { ...init, headers });
  });
  return sent;
}

/** Opens the printed token URL the way the browser does and keeps the cookie it sets. */
async function cookieOf(s: StartedApp): Promise<string> {
  const landing = await nodeFetch(`${s.baseUrl}/?token=${s.token}`, { redirect: 'manual' });
  expect(landing.status).toBe(302);
  return (landing.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function failure(p: Promise<unknown>): Promise<SockscopeError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SockscopeError);
  return e as SockscopeError;
}

/** A server that answers every request with `status` and `body`: what a reply off contract looks like. */
async function liar(status: number, body: unknown): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let s: StartedApp;
let liars: Server[];
beforeEach(async () => {
  s = await startApp({ uiDir: null });
  liars = [];
});
afterEach(async () => {
  vi.unstubAllGlobals();
  for (const server of liars) await new Promise((resolve) => server.close(resolve));
  await s.close();
});

describe('the app client', () => {
  it('returns checked replies from relative paths, authorised by the cookie alone', async () => {
    const sent = pageAt(s.baseUrl, await cookieOf(s));
    expect(await api.sockets()).toEqual({ listeners: [], connections: [] });
    expect(sent[0]!.url).toBe('/api/sockets');
    expect(new Headers(sent[0]!.init.headers).has('authorization')).toBe(false);
    expect(await api.health()).toMatchObject({ ok: true });
    expect(api.url).toBe('');
  });

  it('throws the ApiError code and status', async () => {
    pageAt(s.baseUrl, null);
    const e = await failure(api.sockets());
    expect([e.code, e.status]).toEqual(['UNAUTHORIZED', 401]);
    expect(e.message).toMatch(/^missing or wrong token/);
  });

  it('keeps the API error details the forms place: field, fault, limit', async () => {
    pageAt(s.baseUrl, await cookieOf(s));
    const srv = await api.listen({ host: '127.0.0.1', port: 0 });
    const inUse = await failure(api.listen({ host: '127.0.0.1', port: srv.local.port }));
    expect([inUse.code, inUse.status, inUse.fault?.code]).toEqual(['BIND_FAILED', 409, 'EADDRINUSE']);
    const badPort = await failure(api.listen({ host: '127.0.0.1', port: 70_000 }));
    expect([badPort.code, badPort.field]).toEqual(['BAD_REQUEST', 'port']);
  });

  it('treats a reply that breaks the contract as BAD_REPLY', async () => {
    const offSchema = await liar(200, { listeners: 'none' });
    const noErrorBody = await liar(500, { oops: true });
    liars.push(offSchema.server, noErrorBody.server);
    pageAt(offSchema.origin, null);
    expect(await failure(api.sockets())).toMatchObject({ code: 'BAD_REPLY', status: 200 });
    pageAt(noErrorBody.origin, null);
    expect(await failure(api.sockets())).toMatchObject({ code: 'BAD_REPLY', status: 500 });
  });

  it('reports NETWORK when there is no reply', async () => {
    pageAt(`http://127.0.0.1:${await refusedPort()}`, null);
    const e = await failure(api.health());
    expect([e.code, e.status]).toEqual(['NETWORK', 0]);
    expect(e.message).toBe('GET /api/health: cannot reach sockscope: ECONNREFUSED');
  });

  it('sets framing, reads messages and puts responders at their paths, checking each reply', async () => {
    const sent = pageAt(s.baseUrl, await cookieOf(s));
    const srv = await api.listen({ host: '127.0.0.1', port: 0 });
    const row = await setFraming('listeners', srv.id, { kind: 'json-header' });
    expect(row.framing).toEqual({ kind: 'json-header' });
    const framingCall = sent.at(-1)!;
    expect([framingCall.url, framingCall.init.method, framingCall.init.body]).toEqual([
      `/api/listeners/${srv.id}/framing`,
      'PUT',
      JSON.stringify({ framing: { kind: 'json-header' } }),
    ]);

    const cli = await api.connect({ host: '127.0.0.1', port: srv.local.port }, { wait: true });
    const messages = await api.messages(cli.id, { direction: 'in', limit: 10 });
    expect(messages).toMatchObject({ id: cli.id, direction: 'in', messages: [] });
    expect(sent.at(-1)!.url).toBe(`/api/connections/${cli.id}/messages?direction=in&limit=10`);
    const responders = await putResponders('connections', cli.id, { mode: 'echo' });
    expect(responders).toMatchObject({ id: cli.id, mode: 'echo', rules: [] });
    expect(sent.at(-1)!.url).toBe(`/api/connections/${cli.id}/responders`);
    expect(await getResponders('connections', cli.id)).toMatchObject({ mode: 'echo' });
    expect(await getResponders('listeners', srv.id)).toMatchObject({ id: srv.id });
  });

  it('has a route for every connection action of the shared list', async () => {
    const sent = pageAt(s.baseUrl, await cookieOf(s));
    const srv = await api.listen({ host: '127.0.0.1', port: 0 });
    for (const action of CONNECTION_ACTIONS) {
      const cli = await api.connect({ host: '127.0.0.1', port: srv.local.port }, { wait: true });
      const row = await api.action(cli.id, action);
      expect(sent.at(-1)!.url).toBe(`/api/connections/${cli.id}/${action}`);
      expect(row.id).toBe(cli.id);
    }
  });
});
