// Request deadlines over real sockets: a slowloris and a trickled body are cut (408 in our envelope) while other
// requests are served at once; long polls outlive both deadlines. The deadlines are shortened through buildApp, and
// /api/info shows the bounds in force (`http`), which the server reads from the shared DEFAULT_HTTP_BOUNDS.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiErrorSchema, DEFAULT_HTTP_BOUNDS, DEFAULT_LIMITS, httpBounds, InfoReplySchema } from '../../../shared';
import { MAX_WAIT_MS } from '../../../shared';
import { useApp } from '../../helpers/app-fixture';
import { blackholePort, silentServer, within, type Peer } from '../../helpers/loopback';
import { pendingWaitsBecome } from '../../helpers/pending-waits';
import { RawClient, rawRequest } from '../../helpers/raw-http';
import { expectResponsive } from '../../helpers/responsive';
import { Compile } from 'typebox/compile';

const HEADERS_MS = 300;
const REQUEST_MS = 600;
const SWEEP_MS = 50;
/**
 * How late a cut may come: the sweep interval plus scheduling on a busy 2-core machine running other suites. The old
 * code (Node's 60 s headers / Fastify's 30 s request deadline, swept every 30 s) misses it by a minute.
 */
const SLACK_MS = 1_500;

const fixture = useApp();
const peers: Peer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) await p.close();
});
const start = () =>
  fixture.start({ timeouts: { headersTimeoutMs: HEADERS_MS, requestTimeoutMs: REQUEST_MS, timeoutSweepMs: SWEEP_MS } });
const isApiError = Compile(ApiErrorSchema);
const isInfo = Compile(InfoReplySchema);

describe('request deadlines', () => {
  it('closes 50 slowloris connections after headersTimeoutMs with 408 REQUEST_TIMEOUT, while /api/health answers at once', async () => {
    const s = await start();
    const head = `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n`;
    const clients = Array.from({ length: 50 }, () => new RawClient(s.port));
    await Promise.all(clients.map((c) => c.connected));
    for (const c of clients) c.write(head);
    // A header line every 100 ms: activity must not push the deadline back (it would reset an idle timer).
    const trickle = setInterval(() => clients.forEach((c) => c.write('X-Slow: 1\r\n')), 100);
    try {
      // Health answers by the shared rule while the 50 sockets are held (a server starved by them fails it).
      const took: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        expect((await rawRequest(s.port, `${head}Connection: close\r\n\r\n`)).status).toBe(200);
        took.push(performance.now() - t0);
      }
      expectResponsive(took);

      const closedAfter = await within(Promise.all(clients.map((c) => c.closed)), HEADERS_MS + SLACK_MS, 'the cut');
      for (const ms of closedAfter) expect(ms).toBeGreaterThanOrEqual(HEADERS_MS - 20);
      for (const c of clients) {
        const res = await c.response();
        expect(res.status).toBe(408);
        expect(isApiError.Check(res.body)).toBe(true);
        expect(res.body).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
      }
    } finally {
      clearInterval(trickle);
    }
  });

  it('cuts a body trickled a byte at a time after requestTimeoutMs, and nothing is created', async () => {
    const s = await start();
    const c = new RawClient(s.port);
    await c.connected;
    c.write(
      `POST /api/listeners HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nAuthorization: Bearer ${s.token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const trickle = setInterval(() => c.write(' '), 50);
    try {
      const closedAfter = await within(c.closed, REQUEST_MS + SLACK_MS, 'the cut');
      expect(closedAfter).toBeGreaterThanOrEqual(REQUEST_MS - 20);
      const res = await c.response();
      expect(res.status).toBe(408);
      expect(res.body).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
    } finally {
      clearInterval(trickle);
    }
    expect((await s.api('GET', '/api/sockets')).json.listeners).toEqual([]);
  });

  it('lets an expect wait past both deadlines: only receiving the request is timed, not the answer', async () => {
    const s = await start();
    const peer = await silentServer();
    peers.push(peer);
    const opened = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: peer.port });
    expect(opened.json.state).toBe('open');
    const answer = s.api('POST', `/api/connections/${opened.json.id}/expect`, {
      direction: 'in',
      text: 'late',
      timeoutMs: 10_000,
    });
    answer.catch(() => {}); // awaited below; a failure before that must not surface as unhandled
    await pendingWaitsBecome(s, 1);
    // The point of the test is time passing: the peer writes only after twice the request deadline and a sweep.
    const accepted = await within(peer.accepted(), 3000, 'accept');
    setTimeout(() => accepted.write('late'), 2 * REQUEST_MS + SWEEP_MS);
    const res = await answer;
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.elapsedMs).toBeGreaterThan(2 * REQUEST_MS);
  });

  it('lets ?wait=1 wait past both deadlines for a connect that times out', async () => {
    const s = await start();
    const hole = await blackholePort();
    try {
      const t0 = performance.now();
      const res = await s.api('POST', '/api/connections?wait=1', {
        host: '127.0.0.1',
        port: hole.port,
        timeoutMs: 1500,
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      expect(res.json).toMatchObject({ state: 'failed', fault: { code: 'ETIMEDOUT' } });
      expect(performance.now() - t0).toBeGreaterThan(2 * REQUEST_MS);
    } finally {
      await hole.close();
    }
  });
});

describe('the bounds in /api/info', () => {
  it('shows the deadlines in force: the shortened ones, the rest as by default', async () => {
    const s = await start();
    const info = (await s.api('GET', '/api/info')).json;
    expect(isInfo.Check(info)).toBe(true);
    expect(info.http).toEqual({
      ...httpBounds(DEFAULT_LIMITS),
      headersTimeoutMs: HEADERS_MS,
      requestTimeoutMs: REQUEST_MS,
      timeoutSweepMs: SWEEP_MS,
    });
  });

  it('by default: deadlines a local client never meets, swept often, the idle timeout past the longest wait', async () => {
    const s = await fixture.start({ limits: { maxSendBytes: 1000 } });
    const { http } = (await s.api('GET', '/api/info')).json;
    expect(http).toMatchObject(DEFAULT_HTTP_BOUNDS);
    expect(http.timeoutSweepMs).toBeLessThan(http.headersTimeoutMs);
    expect(http.headersTimeoutMs).toBeLessThanOrEqual(http.requestTimeoutMs);
    expect(http.idleTimeoutMs).toBeGreaterThan(MAX_WAIT_MS);
    expect(http.payloadBodyLimitBytes).toBe(3 * 1000 + http.bodyLimitBytes);
  });

  it('refuses a body past bodyLimitBytes with 413, and takes one within it', async () => {
    const s = await fixture.start();
    const { bodyLimitBytes } = (await s.api('GET', '/api/info')).json.http;
    // A body of exactly `bytes` bytes as JSON; its unknown field makes it a 400 once it is read.
    const body = (bytes: number) => ({
      port: 0,
      note: ' '.repeat(bytes - JSON.stringify({ port: 0, note: '' }).length),
    });
    const over = await s.api('POST', '/api/listeners', body(bodyLimitBytes + 1));
    expect(over.status).toBe(413);
    expect(over.json).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const fits = await s.api('POST', '/api/listeners', body(bodyLimitBytes));
    expect(fits.status).toBe(400);
    expect(fits.json).toMatchObject({ error: { code: 'BAD_REQUEST', field: 'note' } });
  });
});
