// REST input edges: JSON only, strict bodies, coerced queries, size limits, limits and self-connect; a bad request changes nothing.
import { createServer, type Server } from 'node:net';
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiErrorSchema,
  ChunksReplySchema,
  ConnectionRowSchema,
  ErrnoReplySchema,
  EventsPageSchema,
  InfoReplySchema,
  ListenerRowSchema,
  SendReplySchema,
} from '../../../shared';
import { startApp, type StartedApp } from '../../helpers/app';

const MAX_SEND = 1024;
let s: StartedApp;
let peer: Server;
let peerPort: number;

beforeAll(async () => {
  s = await startApp({ uiDir: null, limits: { maxListeners: 2, maxSendBytes: MAX_SEND } });
  peer = createServer((socket) => socket.on('error', () => {}));
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  peerPort = (peer.address() as { port: number }).port;
});
afterAll(async () => {
  await s.close();
  await new Promise((resolve) => peer.close(resolve));
});

function expectShape(schema: TSchema, value: unknown): void {
  const check = Compile(schema);
  expect(check.Check(value), JSON.stringify([...check.Errors(value)].slice(0, 3))).toBe(true);
}

function expectError(
  res: { status: number; json: unknown },
  status: number,
  code: string,
): { message: string; field?: string; limit?: string } {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expectShape(ApiErrorSchema, res.json);
  const error = (res.json as { error: { code: string; message: string; field?: string; limit?: string } }).error;
  expect(error.code).toBe(code);
  return error;
}

const post = (url: string, payload: string, contentType = 'application/json') =>
  s
    .inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } })
    .then((r) => ({ status: r.statusCode, json: r.json() }));

async function openConnection(): Promise<string> {
  const res = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: peerPort });
  expect(res.status).toBe(201);
  expect(res.json.state).toBe('open');
  return res.json.id as string;
}

describe('bodies are JSON only', () => {
  it('answers 415 to text/plain, urlencoded and multipart bodies, and nothing is created', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expectError(await post('/api/listeners', '{"port":0}', type), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    expect((await s.api('GET', '/api/sockets')).json.listeners).toEqual([]);
  });

  it('answers 400 BAD_REQUEST to malformed JSON', async () => {
    expectError(await post('/api/listeners', '{"port": 0'), 400, 'BAD_REQUEST');
    expectError(await post('/api/listeners', '{"__proto__": {"x": 1}, "port": 0}'), 400, 'BAD_REQUEST');
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a body over the limit', async () => {
    const id = await openConnection();
    const res = await post(`/api/connections/${id}/send`, JSON.stringify({ data: 'x'.repeat(200_000) }));
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect((await s.api('GET', `/api/connections/${id}`)).json.bytesOut).toBe(0);
  });

  it('answers 413 with the limit name when the decoded payload exceeds maxSendBytes', async () => {
    const id = await openConnection();
    const error = expectError(
      await s.api('POST', `/api/connections/${id}/send`, { data: 'y'.repeat(MAX_SEND + 1) }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(error.limit).toBe('maxSendBytes');
    expect((await s.api('GET', `/api/connections/${id}`)).json.bytesOut).toBe(0);
  });

  it('accepts body-less actions, with no content type, an empty JSON body or {}', async () => {
    const id = await openConnection();
    expect((await s.inject({ method: 'POST', url: `/api/connections/${id}/pause` })).statusCode).toBe(200);
    const empty = await s.inject({
      method: 'POST',
      url: `/api/connections/${id}/resume`,
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(200);
    expect((await s.api('POST', `/api/connections/${id}/pause`, {})).status).toBe(200);
    expectError(await s.api('POST', `/api/connections/${id}/close`, { force: true }), 400, 'BAD_REQUEST');
    expect((await s.api('GET', `/api/connections/${id}`)).json.state).toBe('open');
  });
});

describe('validation', () => {
  it('rejects unknown fields instead of stripping them', async () => {
    const error = expectError(await s.api('POST', '/api/listeners', { port: 0, colour: 'red' }), 400, 'BAD_REQUEST');
    expect(error.field).toBe('colour');
    const nested = expectError(
      await s.api('POST', '/api/connections', { host: '127.0.0.1', port: peerPort, retry: { attempts: 2, tries: 3 } }),
      400,
      'BAD_REQUEST',
    );
    expect(nested.field).toBe('retry.tries');
  });

  it('names the bad value inside a union, not a property another branch knows', async () => {
    // Validation comes before the lookup: no socket is needed to see a body refused.
    const rule = expectError(
      await s.api('PUT', '/api/listeners/l-999/framing', { framing: { kind: 'length', bytes: 3 } }),
      400,
      'BAD_REQUEST',
    );
    expect(rule.field).toBe('framing.bytes');
    const zero = expectError(
      await s.api('POST', '/api/connections/c-999/send', { data: 'x', split: { writes: 0 } }),
      400,
      'BAD_REQUEST',
    );
    expect(zero.field).toBe('split.writes');
    const stray = expectError(
      await s.api('POST', '/api/connections/c-999/send', { data: 'x', split: { writes: 2, colour: 1 } }),
      400,
      'BAD_REQUEST',
    );
    expect(stray.field).toBe('split.colour');
    expect(stray.message).toMatch(/unknown field/);
    expect(rule.message).toMatch(/must be one of 1, 2, 4, 8/);
  });

  it('does not coerce body types: "port": "80" is refused', async () => {
    const error = expectError(
      await s.api('POST', '/api/connections', { host: '127.0.0.1', port: '80' }),
      400,
      'BAD_REQUEST',
    );
    expect(error.field).toBe('port');
    expectError(
      await s.api('POST', '/api/connections', { host: '127.0.0.1', port: peerPort, noDelay: 'true' }),
      400,
      'BAD_REQUEST',
    );
  });

  it('refuses out-of-range values and missing fields', async () => {
    expect(
      expectError(await s.api('POST', '/api/connections', { host: '127.0.0.1', port: 70000 }), 400, 'BAD_REQUEST')
        .field,
    ).toBe('port');
    expect(expectError(await s.api('POST', '/api/connections', { port: 80 }), 400, 'BAD_REQUEST').field).toBe('host');
    expectError(await s.api('POST', '/api/listeners', { port: -1 }), 400, 'BAD_REQUEST');
    expectError(await s.api('POST', '/api/listeners', { port: 0, accept: 'sometimes' }), 400, 'BAD_REQUEST');
    const sockets = (await s.api('GET', '/api/sockets')).json;
    expect(sockets.listeners).toEqual([]);
  });

  it('coerces query strings and params: since=5, limit=2', async () => {
    const res = await s.api('GET', '/api/events?since=1&limit=2');
    expect(res.status).toBe(200);
    expectShape(EventsPageSchema, res.json);
    expect(res.json.events.length).toBeLessThanOrEqual(2);
    for (const e of res.json.events) expect(e.seq).toBeGreaterThan(1);
    expect(expectError(await s.api('GET', '/api/events?since=abc'), 400, 'BAD_REQUEST').field).toBe('since');
    expectError(await s.api('GET', '/api/events?bogus=1'), 400, 'BAD_REQUEST');
  });

  it('rejects bad hex with 400 BAD_PAYLOAD naming the position, and sends nothing', async () => {
    const id = await openConnection();
    const error = expectError(
      await s.api('POST', `/api/connections/${id}/send`, { data: '48 65 6g', encoding: 'hex' }),
      400,
      'BAD_PAYLOAD',
    );
    expect(error.message).toMatch(/position 7/);
    expect(error.field).toBe('data');
    const row = (await s.api('GET', `/api/connections/${id}`)).json;
    expect(row.bytesOut).toBe(0);
    expect(row.chunksOut).toBe(0);
    const ok = await s.api('POST', `/api/connections/${id}/send`, { data: '48 69', encoding: 'hex' });
    expect(ok.status).toBe(200);
    expectShape(SendReplySchema, ok.json);
    expect(ok.json.bytes).toBe(2);
  });
});

describe('ids, limits and the own port', () => {
  it('answers 404 to unknown ids', async () => {
    expectError(await s.api('GET', '/api/connections/c-99999'), 404, 'CONNECTION_NOT_FOUND');
    expectError(await s.api('POST', '/api/connections/c-99999/reset'), 404, 'CONNECTION_NOT_FOUND');
    expectError(await s.api('GET', '/api/connections/c-99999/chunks'), 404, 'CONNECTION_NOT_FOUND');
    expectError(await s.api('GET', '/api/listeners/l-99999'), 404, 'LISTENER_NOT_FOUND');
    expectError(await s.api('DELETE', '/api/listeners/l-99999'), 404, 'LISTENER_NOT_FOUND');
    expectError(await s.api('GET', '/api/connections/whatever'), 404, 'CONNECTION_NOT_FOUND');
  });

  it('answers 429 LIMIT_REACHED naming the limit once maxListeners are open', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await s.api('POST', '/api/listeners', { port: 0 });
      expect(res.status).toBe(201);
      expectShape(ListenerRowSchema, res.json);
      expect(res.headers.get('location')).toBe(`/api/listeners/${res.json.id}`);
      ids.push(res.json.id);
    }
    const error = expectError(await s.api('POST', '/api/listeners', { port: 0 }), 429, 'LIMIT_REACHED');
    expect(error.limit).toBe('maxListeners');
    for (const id of ids) {
      const closed = await s.api('DELETE', `/api/listeners/${id}?connections=close`);
      expect(closed.status).toBe(200);
      expectShape(ListenerRowSchema, closed.json);
    }
    expectError(await s.api('DELETE', `/api/listeners/${ids[0]}?connections=sometimes`), 400, 'BAD_REQUEST');
  });

  it("refuses to connect to sockscope's own HTTP port", async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const error = expectError(await s.api('POST', '/api/connections', { host, port: s.port }), 403, 'SELF_CONNECT');
      expect(error.message).toContain(String(s.port));
    }
  });

  it('reports version, limits in force and the HTTP port', async () => {
    const res = await s.api('GET', '/api/info');
    expectShape(InfoReplySchema, res.json);
    expect(res.json.limits.maxSendBytes).toBe(MAX_SEND);
    expect(res.json.httpPort).toBe(s.port);
  });

  it('serves chunks and rows in their schemas', async () => {
    const id = await openConnection();
    await s.api('POST', `/api/connections/${id}/send`, { data: 'aGk=', encoding: 'base64' });
    const chunks = await s.api('GET', `/api/connections/${id}/chunks?direction=out&since=0&limit=10`);
    expectShape(ChunksReplySchema, chunks.json);
    expect(chunks.json.chunks.map((c: { data: string }) => c.data)).toEqual(['aGk=']);
    const opts = await s.api('POST', `/api/connections/${id}/options`, {
      noDelay: true,
      keepAlive: true,
      keepAliveDelayMs: 1000,
    });
    expect(opts.status).toBe(200);
    expectShape(ConnectionRowSchema, opts.json);
    expect(opts.json).toMatchObject({ noDelay: true, keepAlive: true });
  });
});

describe('errno and docs', () => {
  it('explains an errno code, case-insensitively', async () => {
    for (const code of ['ECONNREFUSED', 'econnrefused']) {
      const res = await s.api('GET', `/api/errno/${code}`);
      expect(res.status).toBe(200);
      expectShape(ErrnoReplySchema, res.json);
      expect(res.json).toMatchObject({ code: 'ECONNREFUSED', errno: 111 });
    }
    expectError(await s.api('GET', '/api/errno/ENOSUCHTHING'), 404, 'UNKNOWN_ERRNO');
  });

  it('publishes an OpenAPI document listing every path, with the bearer scheme', async () => {
    const res = await s.api('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const expected = {
      '/api/health': ['get'],
      '/api/info': ['get'],
      '/api/sockets': ['get'],
      '/api/listeners': ['post'],
      '/api/listeners/{id}': ['get', 'delete'],
      '/api/connections': ['post'],
      '/api/connections/{id}': ['get'],
      '/api/connections/{id}/send': ['post'],
      '/api/connections/{id}/shutdown': ['post'],
      '/api/connections/{id}/close': ['post'],
      '/api/connections/{id}/reset': ['post'],
      '/api/connections/{id}/pause': ['post'],
      '/api/connections/{id}/resume': ['post'],
      '/api/connections/{id}/options': ['post'],
      '/api/connections/{id}/chunks': ['get'],
      '/api/events': ['get'],
      '/api/errno/{code}': ['get'],
      '/api/stream': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const m of methods) expect(doc.paths[path]?.[m], `${m} ${path}`).toBeDefined();
    }
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect((await s.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });
});
