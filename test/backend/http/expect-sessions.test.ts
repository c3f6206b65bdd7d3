// Expect and sessions over REST on a real app: replies checked against the shared schemas, the 408 body with `seen`,
// 400s naming the field, 404/409 for sessions, and DELETE leaving nothing in the host's socket table.
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import {
  ApiErrorSchema,
  ExpectReplySchema,
  SessionListSchema,
  SessionReportSchema,
  SessionSchema,
  type InspectorEvent,
} from '../../../shared';
import { KernelReader } from '../../../backend/kernel/kernel-reader';
import { useApp } from '../../helpers/app-fixture';
import { dial } from '../../helpers/loopback';

const checkReply = Compile(ExpectReplySchema);
const checkError = Compile(ApiErrorSchema);
const checkSession = Compile(SessionSchema);
const checkList = Compile(SessionListSchema);
const checkReport = Compile(SessionReportSchema);
const b64 = (s: string) => Buffer.from(s).toString('base64');

const fx = useApp();

/** An app, a listener of it and a plain client dialled in; the accepted connection's id. */
async function acceptedConnection(session?: string) {
  const s = fx.started ? fx.app : await fx.start();
  const stream = await s.stream();
  const listener = await s.api('POST', '/api/listeners', { port: 0, ...(session ? { session } : {}) });
  expect(listener.status).toBe(201);
  const client = await dial(listener.json.local.port as number);
  client.setNoDelay(true);
  fx.sockets.push(client);
  const opened = await stream.waitFor<Extract<InspectorEvent, { type: 'socket/opened' }>>(
    (f) => f.type === 'socket/opened' && f.connection.parent === listener.json.id,
  );
  return { app: s, stream, id: opened.id, client, listener: listener.json as { id: string; local: { port: number } } };
}

describe('POST /api/connections/:id/expect', () => {
  it('answers once the text arrives, across reads, and moves the cursor', async () => {
    const { app, stream, id, client } = await acceptedConnection();
    const pending = app.api('POST', `/api/connections/${id}/expect`, { text: 'hello', timeoutMs: 3000 });
    client.write('say hel');
    await stream.waitFor((f) => f.type === 'socket/data' && f.id === id);
    client.write('lo!');
    const reply = await pending;
    expect(reply.status).toBe(200);
    expect(checkReply.Check(reply.json), JSON.stringify(reply.json)).toBe(true);
    expect(reply.json).toMatchObject({
      id,
      condition: 'text',
      match: { start: 4, end: 9, data: b64('hello') },
      cursor: 9,
    });
    const regex = await app.api('POST', `/api/connections/${id}/expect`, { regex: '(.)$', timeoutMs: 0 });
    expect(regex.json.match).toMatchObject({ start: 9, groups: ['!'] });
  });

  it('408 EXPECT_TIMEOUT with `seen` and a message naming what was expected and what arrived', async () => {
    const { app, id, client } = await acceptedConnection();
    client.write('hel');
    await app.api('POST', `/api/connections/${id}/expect`, { bytes: 3, timeoutMs: 2000 });
    const res = await app.api('POST', `/api/connections/${id}/expect`, { text: 'hello', timeoutMs: 100 });
    expect(res.status).toBe(408);
    expect(checkError.Check(res.json), JSON.stringify(res.json)).toBe(true);
    expect(res.json.error).toMatchObject({
      code: 'EXPECT_TIMEOUT',
      message: `expected text "hello" on ${id} (in) within 100 ms; 0 bytes arrived after the cursor`,
      seen: { bytes: 0, data: '', state: 'open', fault: null },
    });
  });

  it('fails at once, still 408, when the connection can no longer deliver', async () => {
    const { app, id, client } = await acceptedConnection();
    client.end('bye');
    const closed = await app.api('POST', `/api/connections/${id}/expect`, {
      state: 'half-closed-remote',
      timeoutMs: 3000,
    });
    expect(closed.status).toBe(200);
    const res = await app.api('POST', `/api/connections/${id}/expect`, { text: 'hello', timeoutMs: 60_000 });
    expect(res.status).toBe(408);
    expect(res.json.error.message).toContain('no more bytes can arrive');
    expect(res.json.error.seen).toMatchObject({ bytes: 3, data: b64('bye'), state: 'half-closed-remote' });
  });

  it('tcpState: CLOSE_WAIT once the peer has sent its FIN', async () => {
    const { app, id, client } = await acceptedConnection();
    const pending = app.api('POST', `/api/connections/${id}/expect`, { tcpState: 'CLOSE_WAIT', timeoutMs: 3000 });
    client.end();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ condition: 'tcpState', tcpState: 'CLOSE_WAIT', match: null });
  });

  it('400 for zero or several conditions, a bad regex, an unknown field; 404 for an unknown connection', async () => {
    const { app, id } = await acceptedConnection();
    const cases: [unknown, string][] = [
      [{}, 'condition'],
      [{ text: 'a', bytes: 2 }, 'text'],
      [{ regex: '[' }, 'regex'],
      [{ text: 'a', nope: 1 }, 'nope'],
      [{ state: 'sideways' }, 'state'],
      [{ message: { framing: { kind: 'delimiter', delimiter: '\\q' } } }, 'message.framing'],
    ];
    for (const [body, field] of cases) {
      const res = await app.api('POST', `/api/connections/${id}/expect`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(checkError.Check(res.json)).toBe(true);
      expect(res.json.error, JSON.stringify(body)).toMatchObject({ code: 'BAD_REQUEST', field });
    }
    const missing = await app.api('POST', '/api/connections/c-999/expect', { text: 'a' });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('CONNECTION_NOT_FOUND');
  });
});

describe('/api/sessions', () => {
  it('create, list, get; sockets opened in it; report; DELETE resets all and leaves nothing behind', async () => {
    const s = await fx.start();
    const created = await s.api('POST', '/api/sessions', { name: 'http run' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/sessions/${created.json.id}`);
    expect(checkSession.Check(created.json)).toBe(true);
    const session = created.json.id as string;

    const { app, id: accepted, client, listener } = await acceptedConnection(session);
    const dialled = await app.api('POST', '/api/connections?wait=1', {
      host: '127.0.0.1',
      port: listener.local.port,
      session,
    });
    expect(dialled.json).toMatchObject({ state: 'open', session });
    client.write('abc');
    await app.api('POST', `/api/connections/${accepted}/expect`, { text: 'abc' });
    expect((await app.api('GET', `/api/connections/${accepted}`)).json.session).toBe(session);

    const list = await app.api('GET', '/api/sessions');
    expect(checkList.Check(list.json)).toBe(true);
    expect(list.json.sessions).toHaveLength(1);
    const got = await app.api('GET', `/api/sessions/${session}`);
    expect(got.json.listeners).toEqual([listener.id]);
    expect(got.json.connections).toHaveLength(3); // the plain client's accepted end, our client, its accepted end

    const report = await app.api('GET', `/api/sessions/${session}/report`);
    expect(checkReport.Check(report.json), JSON.stringify(report.json)).toBe(true);
    expect(report.json).toMatchObject({
      listeners: 1,
      connections: { total: 3, client: 1, accepted: 2, open: 3 },
      bytesIn: 3,
    });

    const closed = await app.api('DELETE', `/api/sessions/${session}`);
    expect(closed.status).toBe(200);
    expect(checkReport.Check(closed.json)).toBe(true);
    expect(closed.json.closedAt).not.toBeNull();
    expect(closed.json.connections.open).toBe(0);
    // A fresh read (the host route may answer from a read up to 50 ms old): RST everywhere, so nothing at all,
    // not even the plain client's end, which the RST closed too.
    const rows = (await new KernelReader().read()).table.entries();
    expect(rows.filter((e) => e.localPort === listener.local.port || e.remotePort === listener.local.port)).toEqual([]);
    const again = await app.api('POST', '/api/connections', { host: '127.0.0.1', port: listener.local.port, session });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'INVALID_STATE', field: 'session' });
  });

  it('OpenAPI documents the expect and session routes under their tags', async () => {
    const s = await fx.start();
    const doc = (await s.api('GET', '/api/openapi.json')).json;
    expect(doc.paths['/api/connections/{id}/expect'].post.tags).toEqual(['expect']);
    expect(Object.keys(doc.paths['/api/sessions/{id}'])).toEqual(['get', 'delete']);
    expect(doc.paths['/api/sessions/{id}/report'].get.tags).toEqual(['sessions']);
  });

  it('404 SESSION_NOT_FOUND for unknown ids; an unknown session on open opens nothing', async () => {
    const s = await fx.start();
    for (const [method, path] of [
      ['GET', '/api/sessions/s-42'],
      ['GET', '/api/sessions/s-42/report'],
      ['DELETE', '/api/sessions/s-42'],
      ['GET', '/api/sessions/nope'],
    ] as const) {
      const res = await s.api(method, path);
      expect(res.status, path).toBe(404);
      expect(res.json.error.code).toBe('SESSION_NOT_FOUND');
    }
    const conn = await s.api('POST', '/api/connections', { host: '127.0.0.1', port: 9, session: 's-42' });
    expect(conn.status).toBe(404);
    expect(conn.json.error).toMatchObject({ code: 'SESSION_NOT_FOUND', field: 'session' });
    const lst = await s.api('POST', '/api/listeners', { port: 0, session: 's-42' });
    expect(lst.status).toBe(404);
    const bad = await s.api('POST', '/api/listeners', { port: 0, session: 'x-1' });
    expect(bad.status).toBe(400);
    const sockets = await s.api('GET', '/api/sockets');
    expect(sockets.json).toEqual({ listeners: [], connections: [] });
    const noName = await s.api('POST', '/api/sessions', {});
    expect(noName.json.error).toMatchObject({ code: 'BAD_REQUEST', field: 'name' });
  });
});
