// A long poll whose client hangs up is cancelled: the expect or ?wait=1 stops waiting, its subscription and timer freed.
import { afterEach, describe, expect, it } from 'vitest';
import { useApp } from '../../helpers/app-fixture';
import { blackholePort, silentServer, type Blackhole, type Peer } from '../../helpers/loopback';
import { pendingWaitsBecome } from '../../helpers/pending-waits';
import { RawClient } from '../../helpers/raw-http';
import type { StartedApp } from '../../helpers/app';

const fixture = useApp();
const closers: Array<Peer | Blackhole> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c.close();
});

/** Sends a JSON POST on a plain socket, so the test can hang up while the answer is pending. */
async function postAndHold(s: StartedApp, path: string, body: unknown): Promise<RawClient> {
  const json = JSON.stringify(body);
  const c = new RawClient(s.port);
  await c.connected;
  c.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nAuthorization: Bearer ${s.token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
  return c;
}

describe('a client that hangs up during a long poll', () => {
  it('cancels its expect: the wait is freed at once, not after timeoutMs', async () => {
    const s = await fixture.start();
    const peer = await silentServer();
    closers.push(peer);
    const opened = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: peer.port });
    expect(s.app.inspector.pendingWaits).toBe(0);

    const c = await postAndHold(s, `/api/connections/${opened.json.id}/expect`, { text: 'never', timeoutMs: 60_000 });
    await pendingWaitsBecome(s, 1);
    c.destroy();
    await pendingWaitsBecome(s, 0);
    expect(c.text).toBe('');

    // The connection is untouched and a new expect works.
    const next = s.api('POST', `/api/connections/${opened.json.id}/expect`, { text: 'hi', timeoutMs: 3000 });
    (await peer.accepted()).write('hi');
    expect((await next).status).toBe(200);
  });

  it('cancels its ?wait=1: the wait is freed at once, not when the connect times out', async () => {
    const s = await fixture.start();
    const hole = await blackholePort();
    closers.push(hole);
    const c = await postAndHold(s, '/api/connections?wait=1', {
      host: '127.0.0.1',
      port: hole.port,
      timeoutMs: 30_000,
    });
    await pendingWaitsBecome(s, 1);
    c.destroy();
    await pendingWaitsBecome(s, 0);
    // The connection itself goes on connecting: only the wait was the client's.
    const rows = (await s.api('GET', '/api/sockets')).json.connections as Array<{ state: string }>;
    expect(rows.map((r) => r.state)).toEqual(['connecting']);
  });
});
