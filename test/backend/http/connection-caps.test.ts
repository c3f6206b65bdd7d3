// maxHttpConnections and maxStreamClients over real sockets: one more is told why (429 in our envelope, WS close 1013:
// STREAM_CLOSE.tooManyClients), a freed place is given to the next, and /api/info shows both limits.
import { Compile } from 'typebox/compile';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiErrorSchema, DEFAULT_LIMITS, STREAM_CLOSE } from '../../../shared';
import { useApp } from '../../helpers/app-fixture';
import { within } from '../../helpers/loopback';
import { RawClient, rawRequest, type RawResponse } from '../../helpers/raw-http';

const fixture = useApp();
const clients: RawClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
const isApiError = Compile(ApiErrorSchema);

const health = (port: number, keepAlive = true) =>
  `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`;

/** A kept-alive connection that has had one answer, so the server has surely counted it. */
async function servedConnection(port: number): Promise<RawClient> {
  const c = new RawClient(port);
  clients.push(c);
  await c.connected;
  c.write(health(port));
  expect((await c.response()).status).toBe(200);
  return c;
}

function expectLimitReached(res: RawResponse, limit: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(isApiError.Check(res.body)).toBe(true);
  expect(res.body).toMatchObject({ error: { code: 'LIMIT_REACHED', limit } });
}

describe('maxHttpConnections', () => {
  it('answers a request on one connection too many with 429 LIMIT_REACHED and closes it; a freed place is reused', async () => {
    const s = await fixture.start({ limits: { maxHttpConnections: 3 } });
    const served = [await servedConnection(s.port), await servedConnection(s.port), await servedConnection(s.port)];

    const extra = new RawClient(s.port);
    clients.push(extra);
    await extra.connected;
    extra.write(health(s.port));
    const refused = await extra.response();
    expectLimitReached(refused, 'maxHttpConnections');
    expect(refused.headers.connection).toBe('close');
    await within(extra.closed, 3000, 'the refused connection to close');

    // The served ones are still served.
    served[0]!.clear();
    served[0]!.write(health(s.port));
    expect((await served[0]!.response()).status).toBe(200);

    // Once one closes, the next connection is served: retried until the server has seen the close (an event, not a
    // timer, tells us: each try is a full request and answer).
    served[1]!.destroy();
    await served[1]!.closed;
    let res = await rawRequest(s.port, health(s.port, false));
    for (let tries = 0; res.status === 429 && tries < 50; tries++)
      res = await rawRequest(s.port, health(s.port, false));
    expect(res.status).toBe(200);
  });

  it('refuses upgrades on a connection too many the same way', async () => {
    const s = await fixture.start({ limits: { maxHttpConnections: 1 } });
    await servedConnection(s.port);
    const refused = await rawRequest(
      s.port,
      `GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nAuthorization: Bearer ${s.token}\r\n` +
        'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expectLimitReached(refused, 'maxHttpConnections');
  });

  it('past twice the cap, drops a connection at accept without reading it', async () => {
    const s = await fixture.start({ limits: { maxHttpConnections: 2 } });
    await servedConnection(s.port);
    await servedConnection(s.port);
    // Two more are held to be answered 429 once they send a request; they never do.
    const held = [new RawClient(s.port), new RawClient(s.port)];
    clients.push(...held);
    await Promise.all(held.map((c) => c.connected));
    const dropped = new RawClient(s.port);
    clients.push(dropped);
    await within(dropped.closed, 3000, 'the fifth connection to be dropped');
    expect(dropped.text).toBe('');
    for (const c of held) expect(c.socket.destroyed).toBe(false);
  });
});

describe('maxStreamClients', () => {
  it('closes one stream client too many with 1013 and a reason; a freed place is reused', async () => {
    const s = await fixture.start({ limits: { maxStreamClients: 2 } });
    const first = await s.stream();
    await s.stream();
    await first.waitFor((f) => f.type === 'snapshot');

    const extra = await s.stream();
    expect(await within(extra.closed, 3000, 'the extra client to be closed')).toEqual({
      code: STREAM_CLOSE.tooManyClients.code,
      reason: 'too many stream clients (max 2)',
    });
    expect(extra.frames).toEqual([]);

    first.close();
    await first.closed;
    // As above: retried until the server has seen the close.
    let next = await s.stream();
    for (let tries = 0; tries < 50; tries++) {
      const outcome = await Promise.race([
        next.waitFor((f) => f.type === 'snapshot').then(() => 'served' as const),
        next.closed.then(() => 'closed' as const),
      ]);
      if (outcome === 'served') break;
      next = await s.stream();
    }
    expect(next.snapshot).toBeDefined();
  });
});

describe('/api/info', () => {
  it('shows both limits, defaults or as given', async () => {
    const s = await fixture.start({ limits: { maxStreamClients: 5 } });
    const info = await s.api('GET', '/api/info');
    expect(info.json.limits).toMatchObject({
      maxHttpConnections: DEFAULT_LIMITS.maxHttpConnections,
      maxStreamClients: 5,
    });
  });
});
