// The code -> status table (backend/inspector/errors.ts and backend/http/http-errors.ts): every API code has one status,
// a status HTTP itself reports has its code, and the two codes that once had a second status keep it under their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeForStatus, httpError, statusOf } from '../../../backend/http/http-errors';
import { Inspector } from '../../../backend/inspector/inspector';
import { requestError } from '../../../backend/inspector/errors';
import { API_ERROR_CODES, type Fault } from '../../../shared';
import { startApp, type StartedApp } from '../../helpers/app';

let s: StartedApp;
beforeAll(async () => {
  s = await startApp({ uiDir: null });
});
afterAll(() => s.close());

const fault = (code: string): Fault => ({
  code,
  errno: null,
  syscall: 'listen',
  address: '127.0.0.1',
  port: 80,
  message: `listen ${code}`,
  state: 'listening',
  at: 0,
  explanation: null,
});

describe('the table', () => {
  it('gives every API code a 4xx or 5xx status, and HTTP statuses their code back', () => {
    for (const code of API_ERROR_CODES) expect(statusOf(code), code).toBeGreaterThanOrEqual(400);
    for (const code of API_ERROR_CODES) expect(statusOf(code), code).toBeLessThan(600);
    const own = [400, 401, 404, 408, 413, 414, 415, 429, 431];
    expect(own.map((status) => statusOf(codeForStatus(status)))).toEqual(own);
  });

  it('makes errors whose status is the code’s: BIND_FAILED by its fault', () => {
    expect(requestError('BIND_FAILED', 'x', { fault: fault('EACCES') }).statusCode).toBe(403);
    expect(requestError('BIND_FAILED', 'x', { fault: fault('EADDRINUSE') }).statusCode).toBe(409);
    expect(requestError('CONNECTION_NOT_FOUND', 'x').statusCode).toBe(404);
    expect(httpError('HEADERS_TOO_LARGE', 'x').statusCode).toBe(431);
    expect(httpError('CONNECTION_NOT_FOUND', 'x').statusCode).toBe(404);
  });
});

describe('the statuses the API answered before the table, under a code of their own', () => {
  it('a plain GET of the WebSocket endpoint is 426 UPGRADE_REQUIRED', async () => {
    const res = await s.inject({ method: 'GET', url: '/api/stream' });
    expect([res.statusCode, res.json().error.code]).toEqual([426, 'UPGRADE_REQUIRED']);
  });

  it('a disposed inspector answers 503 UNAVAILABLE', async () => {
    const inspector = new Inspector();
    await inspector.dispose();
    expect(() => inspector.openConnection({ host: '127.0.0.1', port: 1 })).toThrow(
      expect.objectContaining({ statusCode: 503, code: 'UNAVAILABLE' }),
    );
  });
});
