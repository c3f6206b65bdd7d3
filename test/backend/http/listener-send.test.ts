// POST /api/listeners/:id/send: a listener has no peer, so the send is always refused with NOT_CONNECTED / ENOTCONN.
import { afterEach, describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { ApiErrorSchema, explain } from '../../../shared';
import { startApp, type StartedApp } from '../../helpers/app';

const checkError = Compile(ApiErrorSchema);
let s: StartedApp | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('POST /api/listeners/:id/send', () => {
  it('refuses with 409 NOT_CONNECTED carrying an ENOTCONN fault and its explanation; nothing changes', async () => {
    s = await startApp({ uiDir: null });
    const listener = await s.api('POST', '/api/listeners', { port: 0 });
    const { id, local } = listener.json as { id: string; local: { address: string; port: number } };
    const res = await s.api('POST', `/api/listeners/${id}/send`, { data: 'hello\n' });
    expect(res.status).toBe(409);
    expect(checkError.Check(res.json)).toBe(true);
    expect(res.json.error.code).toBe('NOT_CONNECTED');
    expect(res.json.error.fault).toMatchObject({
      code: 'ENOTCONN',
      errno: 107,
      syscall: 'send',
      address: local.address,
      port: local.port,
      state: 'listening',
      explanation: explain('ENOTCONN'),
    });
    expect(res.json.error.fault.message).toContain('EPIPE'); // what Linux's own send() would have said
    const after = await s.api('GET', `/api/listeners/${id}`);
    expect(after.json).toMatchObject({ state: 'listening', accepted: 0, fault: null });
  });

  it('checks the body like a connection send, and 404s an unknown listener', async () => {
    s = await startApp({ uiDir: null });
    const listener = await s.api('POST', '/api/listeners', { port: 0 });
    const bad = await s.api('POST', `/api/listeners/${listener.json.id}/send`, { data: 'x', bogus: 1 });
    expect(bad.status).toBe(400);
    const missing = await s.api('POST', '/api/listeners/l-999/send', { data: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('LISTENER_NOT_FOUND');
    const framed = await s.api('POST', `/api/listeners/${listener.json.id}/send`, {
      data: 'x',
      framing: { kind: 'length', bytes: 4 },
      repeat: { count: 3 },
    });
    expect(framed.status).toBe(409);
  });
});
