// HTTP's own failures answer in our envelope, over real sockets: oversized bodies (413 on every route), Node's parser
// errors (431, 400), the router's (bad URL 400, long segment 414, unknown route 404), 415, bad JSON, duplicate Host.
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema } from '../../../shared';
import { startApp, type StartedApp } from '../../helpers/app';
import { silentServer, type Peer } from '../../helpers/loopback';
import { RawClient, rawRequest, type RawResponse } from '../../helpers/raw-http';

const MiB = 1024 * 1024;
const isApiError = Compile(ApiErrorSchema);
let s: StartedApp;
let peer: Peer;
let connectionId: string;

beforeAll(async () => {
  s = await startApp({ uiDir: null });
  peer = await silentServer();
  connectionId = (await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: peer.port })).json.id;
});
afterAll(async () => {
  await s.close();
  await peer.close();
});

function expectEnvelope(res: { status: number; body: unknown }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(isApiError.Check(res.body), JSON.stringify(res.body)).toBe(true);
  expect((res.body as { error: { code: string } }).error.code).toBe(code);
}

const request = (lines: string[], body = ''): string => `${lines.join('\r\n')}\r\n\r\n${body}`;
const get = (path: string, extra: string[] = []): string =>
  request([`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${s.port}`, `Authorization: Bearer ${s.token}`, ...extra]);

async function post(path: string, body: string, method = 'POST'): Promise<{ status: number; body: unknown }> {
  const res = await fetch(s.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: await res.json() };
}

// Several 2.3 MiB bodies per test through a real port: above vitest's default 5 s on a busy machine.
describe('a 2.3 MiB body is 413 PAYLOAD_TOO_LARGE on every route', { timeout: 20_000 }, () => {
  const big = 'x'.repeat(2.3 * MiB);

  it('is refused by the body limit of routes without a payload, JSON or not, and nothing is created', async () => {
    const routes: Array<[string, string]> = [
      ['POST', '/api/listeners'],
      ['POST', '/api/connections'],
      ['POST', '/api/sessions'],
      ['POST', `/api/connections/${connectionId}/expect`],
      ['PUT', `/api/connections/${connectionId}/framing`],
      ['POST', `/api/connections/${connectionId}/options`],
    ];
    for (const [method, path] of routes) {
      expectEnvelope(await post(path, JSON.stringify({ port: 0, name: big }), method), 413, 'PAYLOAD_TOO_LARGE');
      expectEnvelope(await post(path, big, method), 413, 'PAYLOAD_TOO_LARGE');
    }
    const sockets = (await s.api('GET', '/api/sockets')).json;
    expect(sockets.listeners).toEqual([]);
    expect(sockets.connections).toHaveLength(1);
  });

  it('is refused by the payload bounds of routes that carry one, naming the field', async () => {
    const send = await post(`/api/connections/${connectionId}/send`, JSON.stringify({ data: big }));
    expectEnvelope(send, 413, 'PAYLOAD_TOO_LARGE');
    const scenario = await post('/api/scenarios/run', JSON.stringify({ source: big }));
    expectEnvelope(scenario, 413, 'PAYLOAD_TOO_LARGE');
    expect(scenario.body).toMatchObject({ error: { field: 'source' } });
    const responders = await post(
      `/api/connections/${connectionId}/responders`,
      JSON.stringify({ rules: [{ reply: { data: big } }] }),
      'PUT',
    );
    expectEnvelope(responders, 413, 'PAYLOAD_TOO_LARGE');
    expect((await s.api('GET', `/api/connections/${connectionId}`)).json.bytesOut).toBe(0);
  });

  it('is refused without a Content-Length too (chunked), once the limit is passed', async () => {
    const chunk = 'y'.repeat(256 * 1024);
    const c = new RawClient(s.port);
    await c.connected;
    c.write(
      request([
        'POST /api/listeners HTTP/1.1',
        `Host: 127.0.0.1:${s.port}`,
        `Authorization: Bearer ${s.token}`,
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
      ]),
    );
    for (let i = 0; i < 10 && !c.socket.destroyed; i++) c.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expectEnvelope(await c.response(), 413, 'PAYLOAD_TOO_LARGE');
    c.destroy();
  });

  it('keeps a small field too long a 400 naming the field', async () => {
    const res = await post('/api/sessions', JSON.stringify({ name: 'n'.repeat(121) }));
    expectEnvelope(res, 400, 'BAD_REQUEST');
    expect(res.body).toMatchObject({ error: { field: 'name' } });
  });
});

describe("Node's and Fastify's own errors use the envelope", () => {
  it('431 HEADERS_TOO_LARGE for headers past 16 KiB', async () => {
    const res = await rawRequest(s.port, get('/api/health', [`X-Big: ${'b'.repeat(20_000)}`]));
    expectEnvelope(res, 431, 'HEADERS_TOO_LARGE');
    expect(res.headers['connection']).toBe('close');
  });

  it('400 BAD_REQUEST for a request Node cannot parse', async () => {
    for (const text of ['NOT HTTP AT ALL\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n']) {
      const res = await rawRequest(s.port, text);
      expectEnvelope(res, 400, 'BAD_REQUEST');
      expect((res.body as { error: { message: string } }).error.message).toMatch(/^malformed HTTP request/);
    }
  });

  it("400 for a URL the router cannot decode, 414 URI_TOO_LONG for a path segment past the router's limit", async () => {
    expectEnvelope(await rawRequest(s.port, get('/api/connections/%E0%A4%A')), 400, 'BAD_REQUEST');
    expectEnvelope(await rawRequest(s.port, get(`/api/connections/${'a'.repeat(200)}`)), 414, 'URI_TOO_LONG');
  });

  it('404 NOT_FOUND, 415 UNSUPPORTED_MEDIA_TYPE and 400 for bad JSON', async () => {
    expectEnvelope(await rawRequest(s.port, get('/api/nope')), 404, 'NOT_FOUND');
    const plain = await fetch(`${s.baseUrl}/api/listeners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'text/plain' },
      body: '{"port":0}',
    });
    expectEnvelope({ status: plain.status, body: await plain.json() }, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectEnvelope(await post('/api/listeners', '{"port": 0'), 400, 'BAD_REQUEST');
  });
});

describe('two Host headers', () => {
  it('are refused with 400 whichever comes first, on REST and on the stream upgrade', async () => {
    const own = `Host: 127.0.0.1:${s.port}`;
    const upgrade = [
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ];
    const requests = [
      request(['GET /api/health HTTP/1.1', own, 'Host: evil.example']),
      request(['GET /api/health HTTP/1.1', 'Host: evil.example', own]),
      request(['GET /api/health HTTP/1.1', own, own]),
      request(['GET /api/stream HTTP/1.1', own, 'Host: evil.example', `Authorization: Bearer ${s.token}`, ...upgrade]),
    ];
    for (const text of requests) {
      const res: RawResponse = await rawRequest(s.port, text);
      expectEnvelope(res, 400, 'BAD_REQUEST');
      expect((res.body as { error: { message: string } }).error.message).toMatch(/more than one Host header/);
    }
    expect((await rawRequest(s.port, request(['GET /api/health HTTP/1.1', own]))).status).toBe(200);
  });
});
