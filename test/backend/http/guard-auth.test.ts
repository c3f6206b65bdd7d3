// Safe by default: token on /api, cookie flow, Host / Origin / Sec-Fetch-Site checks on REST and the WS upgrade.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type StartedApp } from '../../helpers/app';
import { rawRequest } from '../../helpers/raw-http';

let s: StartedApp;
beforeAll(async () => {
  s = await startApp({ uiDir: null });
});
afterAll(async () => {
  await s.close();
});

const errorOf = (res: { json: () => unknown }) => (res.json() as { error: { code: string; message: string } }).error;

describe('auth', () => {
  it('GET /api/health needs no token and reveals only ok + version', async () => {
    const res = await s.inject({ method: 'GET', url: '/api/health', auth: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, version: expect.any(String) });
  });

  it('refuses a missing or wrong token with 401 UNAUTHORIZED', async () => {
    const missing = await s.inject({ method: 'GET', url: '/api/sockets', auth: false });
    expect(missing.statusCode).toBe(401);
    expect(errorOf(missing).code).toBe('UNAUTHORIZED');
    const wrong = await s.inject({ method: 'GET', url: '/api/sockets', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const wrongLength = await s.inject({
      method: 'GET',
      url: '/api/info',
      headers: { authorization: `Bearer ${s.token}x` },
    });
    expect(wrongLength.statusCode).toBe(401);
  });

  it('accepts the bearer token', async () => {
    const res = await s.inject({ method: 'GET', url: '/api/info' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ httpPort: s.port, limits: { maxConnections: expect.any(Number) } });
  });

  it('does not accept ?token= on REST routes (only on the stream)', async () => {
    const res = await s.inject({ method: 'GET', url: `/api/sockets?token=${s.token}`, auth: false });
    expect(res.statusCode).toBe(401);
    const twice = await s.inject({ method: 'GET', url: `/api/stream?token=${s.token}&token=x`, auth: false });
    expect(twice.statusCode).toBe(401);
  });

  it('needs the token for the OpenAPI document and Swagger UI too', async () => {
    expect((await s.inject({ method: 'GET', url: '/api/openapi.json', auth: false })).statusCode).toBe(401);
    expect((await s.inject({ method: 'GET', url: '/api/docs', auth: false })).statusCode).toBe(401);
  });

  it('trades /?token= for an HttpOnly SameSite=Strict cookie named after the port, then authorises with it', async () => {
    const landing = await s.inject({ method: 'GET', url: `/?token=${s.token}`, auth: false });
    expect(landing.statusCode).toBe(302);
    expect(landing.headers.location).toBe('/');
    expect(landing.headers['set-cookie']).toBe(
      `sockscope_token_${s.port}=${s.token}; HttpOnly; SameSite=Strict; Path=/`,
    );

    const cookie = `sockscope_token_${s.port}=${s.token}`;
    const withCookie = await s.inject({
      method: 'GET',
      url: '/api/sockets',
      auth: false,
      headers: { cookie: `other=1; ${cookie}` },
    });
    expect(withCookie.statusCode).toBe(200);
    const otherPort = await s.inject({
      method: 'GET',
      url: '/api/sockets',
      auth: false,
      headers: { cookie: `sockscope_token_${s.port + 1}=${s.token}` },
    });
    expect(otherPort.statusCode).toBe(401);
  });

  it('accepts the request when any cookie of its name holds the token (another local page may plant a wrong one)', async () => {
    const name = `sockscope_token_${s.port}`;
    const asked = (cookie: string) =>
      rawRequest(
        s.port,
        `GET /api/sockets HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
      );
    // A planted cookie with a longer Path is sent first; the order must not matter.
    expect((await asked(`${name}=planted; ${name}=${s.token}`)).status).toBe(200);
    expect((await asked(`${name}=${s.token}; ${name}=planted`)).status).toBe(200);
    expect((await asked(`${name}=planted; other=1; ${name}=${s.token}x`)).status).toBe(401);
    expect((await asked(`${name}=; ${name}=planted`)).status).toBe(401);
  });

  it('refuses /?token= with a wrong token and sets no cookie', async () => {
    const res = await s.inject({ method: 'GET', url: '/?token=wrong', auth: false });
    expect(res.statusCode).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers unknown routes with 404 NOT_FOUND JSON', async () => {
    const res = await s.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
    expect((await s.inject({ method: 'GET', url: '/nope.js', auth: false })).json()).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('guard', () => {
  it('refuses a foreign Host header (DNS rebinding) with 403 FORBIDDEN_HOST, even with the token', async () => {
    for (const host of [`evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, '127.0.0.1', '']) {
      const res = await s.inject({ method: 'GET', url: '/api/sockets', headers: { host } });
      expect(res.statusCode, host).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN_HOST');
    }
    const health = await s.inject({
      method: 'GET',
      url: '/api/health',
      auth: false,
      headers: { host: `evil.example:${s.port}` },
    });
    expect(health.statusCode).toBe(403);
  });

  it('accepts localhost and [::1] with the right port', async () => {
    for (const host of [`localhost:${s.port}`, `[::1]:${s.port}`, `LOCALHOST:${s.port}`]) {
      expect((await s.inject({ method: 'GET', url: '/api/sockets', headers: { host } })).statusCode, host).toBe(200);
    }
  });

  it('refuses a foreign Origin on a mutation with 403 FORBIDDEN_ORIGIN and changes nothing', async () => {
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${s.port}`,
      `https://127.0.0.1:${s.port}`,
      'null',
    ]) {
      const res = await s.inject({
        method: 'POST',
        url: '/api/listeners',
        headers: { origin, 'content-type': 'application/json' },
        payload: { port: 0 },
      });
      expect(res.statusCode, origin).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN_ORIGIN');
    }
    expect((await s.inject({ method: 'GET', url: '/api/sockets' })).json().listeners).toEqual([]);
  });

  it('accepts its own Origin', async () => {
    const res = await s.inject({
      method: 'GET',
      url: '/api/sockets',
      headers: { origin: `http://localhost:${s.port}` },
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses Sec-Fetch-Site cross-site and same-site on /api, allows same-origin and none', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const res = await s.inject({ method: 'GET', url: '/api/sockets', headers: { 'sec-fetch-site': site } });
      expect(res.statusCode, site).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN_ORIGIN');
    }
    for (const site of ['same-origin', 'none'])
      expect(
        (await s.inject({ method: 'GET', url: '/api/sockets', headers: { 'sec-fetch-site': site } })).statusCode,
      ).toBe(200);
  });

  it('lets a cross-site top-level navigation open the UI page, but not a cross-site fetch of it', async () => {
    const nav = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    expect((await s.inject({ method: 'GET', url: '/', auth: false, headers: nav })).statusCode).toBe(200);
    expect((await s.inject({ method: 'GET', url: '/api/sockets', headers: nav })).statusCode).toBe(403);
    const fetchMode = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' };
    expect((await s.inject({ method: 'GET', url: '/', auth: false, headers: fetchMode })).statusCode).toBe(403);
  });

  it('refuses a WebSocket upgrade with a foreign Origin or Host, accepts a good one with ?token=', async () => {
    const origin = s.stream(undefined, {
      headers: { authorization: `Bearer ${s.token}`, origin: 'http://evil.example' },
    });
    await expect(origin).rejects.toThrow(/HTTP 403/);
    const host = s.stream(undefined, {
      headers: { authorization: `Bearer ${s.token}`, host: `evil.example:${s.port}` },
    });
    await expect(host).rejects.toThrow(/HTTP 403/);
    await expect(s.stream(undefined, { headers: {} })).rejects.toThrow(/HTTP 401/);
    await expect(s.stream(undefined, { headers: {}, query: { token: 'wrong' } })).rejects.toThrow(/HTTP 401/);

    const ok = await s.stream(undefined, {
      headers: { origin: `http://127.0.0.1:${s.port}` },
      query: { token: s.token },
    });
    await ok.waitFor((f) => f.type === 'snapshot');
    ok.close();
  });
});

describe('UI', () => {
  it('serves a "not built" page at / without a token when there is no UI', async () => {
    const res = await s.inject({ method: 'GET', url: '/', auth: false });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('npm run build');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves the built UI files publicly from uiDir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sockscope-ui-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>built ui</title>');
    await writeFile(join(dir, 'app.js'), 'console.log(1)');
    const ui = await startApp({ uiDir: dir });
    try {
      const index = await ui.inject({ method: 'GET', url: '/', auth: false });
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('built ui');
      const js = await ui.inject({ method: 'GET', url: '/app.js', auth: false });
      expect(js.statusCode).toBe(200);
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect((await ui.inject({ method: 'GET', url: '/api/sockets', auth: false })).statusCode).toBe(401);
    } finally {
      await ui.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
