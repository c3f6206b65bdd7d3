// Kernel truth over REST and the stream: the queue demonstration, the host view against `ss -tan`, no /proc at all.
import { readFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionRowSchema,
  HostSocketsReplySchema,
  InfoReplySchema,
  type ConnectionRow,
  type HostSocket,
  type InspectorEvent,
  type ListenerRow,
  type StreamFrame,
  type TcpState,
} from '../../../shared';
import { keyAddress } from '../../../backend/kernel/ip-address';
import { startApp, type StartedApp } from '../../helpers/app';
import { within } from '../../helpers/loopback';
import { ssTan, type SsRow } from '../kernel/ss';

const MiB = 1 << 20;
type Ev<T extends InspectorEvent['type']> = Extract<InspectorEvent, { type: T }>;
const is =
  <T extends InspectorEvent['type']>(type: T, where: (e: Ev<T>) => boolean = () => true) =>
  (f: StreamFrame): boolean =>
    f.type === type && where(f as Ev<T>);

const apps: StartedApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
async function start(opts: Parameters<typeof startApp>[0] = {}): Promise<StartedApp> {
  const s = await startApp({ uiDir: null, ...opts });
  apps.push(s);
  return s;
}

function expectShape(schema: TSchema, value: unknown): void {
  const check = Compile(schema);
  expect(check.Check(value), JSON.stringify([...check.Errors(value)].slice(0, 3))).toBe(true);
}

/** Asks again (each GET reads /proc afresh, at most every 50 ms) until `test` returns a value. */
async function pollUntil<T>(what: string, ms: number, test: () => Promise<T | null | undefined>): Promise<T> {
  return within(
    (async () => {
      for (;;) {
        const v = await test();
        if (v !== null && v !== undefined) return v;
        await new Promise((r) => setTimeout(r, 10));
      }
    })(),
    ms,
    what,
  );
}

async function row(s: StartedApp, id: string): Promise<ConnectionRow> {
  const res = await s.api('GET', `/api/connections/${id}`);
  expect(res.status).toBe(200);
  expectShape(ConnectionRowSchema, res.json);
  return res.json;
}

const rowIn = (s: StartedApp, id: string, state: TcpState | null) =>
  pollUntil(`${id} in ${state}`, 5000, async () => {
    const r = await row(s, id);
    return r.tcpState === state ? r : null;
  });

async function listen(s: StartedApp, accept: 'read' | 'hold' = 'read'): Promise<ListenerRow> {
  const res = await s.api('POST', '/api/listeners', { port: 0, accept });
  expect(res.status).toBe(201);
  return res.json;
}

/** Dials the listener; returns the client id and the accepted connection's id. */
async function connect(s: StartedApp, listener: ListenerRow): Promise<{ client: string; accepted: string }> {
  const before = new Set(((await s.api('GET', '/api/sockets')).json.connections as ConnectionRow[]).map((c) => c.id));
  const dial = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: listener.local.port });
  expect(dial.json.state).toBe('open');
  const accepted = await pollUntil('accepted', 3000, async () => {
    const all = (await s.api('GET', '/api/sockets')).json.connections as ConnectionRow[];
    return all.find((c) => c.parent === listener.id && !before.has(c.id))?.id;
  });
  return { client: dial.json.id, accepted };
}

describe('the queue demonstration, end to end over REST', () => {
  it('hold, 10 x 1 MiB: Recv-Q and Send-Q fill, sockscope queues the rest; resume: all drain, every byte arrives', async () => {
    const s = await start();
    const stream = await s.stream(); // someone watches: the poller runs, and every frame is checked
    const l = await listen(s, 'hold');
    const { client, accepted } = await connect(s, l);
    const mib = Buffer.alloc(MiB, 0x5a).toString('base64');
    let queuedMax = 0;
    for (let i = 0; i < 10; i++) {
      const res = await s.api('POST', `/api/connections/${client}/send`, { data: mib, encoding: 'base64' });
      expect(res.status).toBe(200);
      queuedMax = Math.max(queuedMax, res.json.queuedBytes);
    }
    expect(queuedMax, 'backpressure: Node holds what the kernel would not take').toBeGreaterThan(0);

    // Until everything stalls: the receiver's window shut, the sender's buffer full, sockscope's queue still. Rows
    // of one GET come from one /proc read; unchanged for 200 ms spans a fresh read (at most 50 ms apart here).
    let previous = '';
    let stillSince = 0;
    const full = await pollUntil('queues full and still', 10_000, async () => {
      const rows = (await s.api('GET', '/api/sockets')).json.connections as ConnectionRow[];
      const rx = rows.find((c) => c.id === accepted)!;
      const tx = rows.find((c) => c.id === client)!;
      const now = JSON.stringify([rx.recvQ, tx.sendQ, tx.queuedBytes]);
      if (now !== previous) [previous, stillSince] = [now, performance.now()];
      const still = performance.now() - stillSince >= 200;
      return still && (rx.recvQ ?? 0) > 32 * 1024 && (tx.sendQ ?? 0) > 512 * 1024 && tx.queuedBytes > 0
        ? { rx, tx }
        : null;
    });
    expect(full.rx).toMatchObject({ tcpState: 'ESTABLISHED', paused: true, bytesIn: 0 });
    // Nothing lost: what was not read sits in the receiver's Recv-Q, the sender's Send-Q or sockscope's queue. Node
    // counts the write in progress whole though the kernel took part of it: at most one send is counted twice.
    const held = full.rx.recvQ! + full.tx.sendQ! + full.tx.queuedBytes;
    const detail = JSON.stringify({ rx: full.rx, tx: full.tx });
    expect(held, detail).toBeGreaterThanOrEqual(10 * MiB);
    expect(held).toBeLessThanOrEqual(11 * MiB);
    await stream.waitFor(is('socket/kernel', (e) => e.id === accepted && (e.recvQ ?? 0) > 32 * 1024));
    await stream.waitFor(is('socket/kernel', (e) => e.id === client && (e.sendQ ?? 0) > 512 * 1024));
    await stream.waitFor(is('socket/queue', (e) => e.id === client && e.queuedBytes > 0));

    expect((await s.api('POST', `/api/connections/${accepted}/resume`)).status).toBe(200);
    const drained = await pollUntil('drained', 15_000, async () => {
      const [rx, tx] = [await row(s, accepted), await row(s, client)];
      const done = rx.bytesIn === 10 * MiB && rx.recvQ === 0 && tx.sendQ === 0 && tx.queuedBytes === 0;
      return done ? { rx, tx } : null;
    });
    expect(drained.tx).toMatchObject({ bytesOut: 10 * MiB, tcpState: 'ESTABLISHED' });
    expect(drained.rx).toMatchObject({ bytesIn: 10 * MiB, paused: false });
    await stream.waitFor(is('socket/queue', (e) => e.id === client && e.queuedBytes === 0));
    await stream.waitFor(is('socket/kernel', (e) => e.id === accepted && e.recvQ === 0));
    // A 10 MiB send is a handful of queue events, not one per write completion.
    expect(stream.events.filter(is('socket/queue', (e) => e.id === client)).length).toBeLessThan(60);
  }, 30_000);

  it('a send that would pass maxQueuedBytesPerConnection: 429 LIMIT_REACHED naming the limit, nothing written', async () => {
    const s = await start({ limits: { maxQueuedBytesPerConnection: 2 * MiB } });
    const l = await listen(s, 'hold');
    const { client } = await connect(s, l);
    const mib = Buffer.alloc(MiB, 1).toString('base64');
    let res;
    let sent = 0;
    for (let i = 0; i < 64; i++) {
      res = await s.api('POST', `/api/connections/${client}/send`, { data: mib, encoding: 'base64' });
      if (res.status !== 200) break;
      sent += MiB;
    }
    expect(res!.status).toBe(429);
    expect(res!.json.error).toMatchObject({ code: 'LIMIT_REACHED', limit: 'maxQueuedBytesPerConnection' });
    expect(res!.json.error.message).toContain('maxQueuedBytesPerConnection');
    const after = await row(s, client);
    expect(after.bytesOut).toBe(sent);
    expect(after.queuedBytes).toBeLessThanOrEqual(2 * MiB);
    expect((await s.api('GET', '/api/info')).json.limits.maxQueuedBytesPerConnection).toBe(2 * MiB);
  }, 20_000);
});

/** `STATE local remote recvQ sendQ` with addresses in one spelling; what both tables must agree on. */
const line = (r: { state: TcpState; local: SsRow['local']; remote: SsRow['remote']; recvQ: number; sendQ: number }) =>
  `${r.state} ${keyAddress(r.local.address)}:${r.local.port} ${keyAddress(r.remote.address)}:${r.remote.port} ${r.recvQ} ${r.sendQ}`;

// Each compares with `ss` run as a process: more than vitest's default 5 s is possible on a busy machine.
describe('GET /api/host/sockets', { timeout: 20_000 }, () => {
  it('matches ss -tan at the same moment on the sockets this test made; sockscope marks its own', async () => {
    const s = await start();
    const held = await listen(s, 'hold');
    const a = await connect(s, held);
    await s.api('POST', `/api/connections/${a.client}/send`, { data: 'hello' }); // 5 bytes unread: Recv-Q 5
    const reading = await listen(s, 'read');
    const b = await connect(s, reading);
    await s.api('POST', `/api/connections/${b.client}/shutdown`); // FIN_WAIT2 / CLOSE_WAIT
    const c = await connect(s, reading);
    expect((await s.api('POST', `/api/connections/${c.client}/close`)).json).toMatchObject({ state: 'closed' });
    await pollUntil('peer FIN seen', 3000, async () =>
      (await row(s, c.accepted)).state === 'half-closed-remote' ? 1 : null,
    );
    await s.api('POST', `/api/connections/${c.accepted}/close`); // c.client: TIME_WAIT

    await pollUntil('unread bytes', 3000, async () => ((await row(s, a.accepted)).recvQ === 5 ? 1 : null));
    await rowIn(s, b.client, 'FIN_WAIT2');
    await rowIn(s, b.accepted, 'CLOSE_WAIT');
    const tw = await rowIn(s, c.client, 'TIME_WAIT');
    await rowIn(s, c.accepted, null);

    const ports = new Set([held.local.port, reading.local.port]);
    const mine = (r: { local: { port: number }; remote: { port: number } }) =>
      ports.has(r.local.port) || ports.has(r.remote.port);
    const [reply, ss] = await Promise.all([s.api('GET', '/api/host/sockets'), ssTan()]);
    expect(reply.status).toBe(200);
    expectShape(HostSocketsReplySchema, reply.json);
    const ours = (reply.json.sockets as HostSocket[]).filter(mine);
    // Any TIME_WAIT left on these ports by an earlier run is in both tables alike: compare everything on them.
    expect(ours.map(line).sort()).toEqual(ss.filter(mine).map(line).sort());

    const byOwner = (id: string) => ours.filter((h) => h.ownerId === id);
    expect(byOwner(held.id)).toEqual([expect.objectContaining({ state: 'LISTEN', recvQ: 0, sendQ: 511 })]);
    expect(byOwner(a.accepted)).toEqual([expect.objectContaining({ state: 'ESTABLISHED', recvQ: 5 })]);
    expect(byOwner(b.client)).toEqual([expect.objectContaining({ state: 'FIN_WAIT2' })]);
    expect(byOwner(b.accepted)).toEqual([expect.objectContaining({ state: 'CLOSE_WAIT' })]);
    expect(byOwner(c.client)).toEqual([
      expect.objectContaining({ state: 'TIME_WAIT', local: tw.local, inode: 0, pid: null, process: null }),
    ]);
    expect(byOwner(c.accepted)).toEqual([]);
    // Sockets a process holds name it: this one.
    const comm = readFileSync('/proc/self/comm', 'utf8').trim();
    for (const h of ours.filter((h) => h.ownerId !== null && h.inode !== 0))
      expect(h, `${h.ownerId}`).toMatchObject({ pid: process.pid, process: comm, proto: 'tcp' });
  });

  it('filters by state (ss spellings too) and port; an unknown state is a 400 naming the field', async () => {
    const s = await start();
    const l = await listen(s);
    const { client } = await connect(s, l);
    await rowIn(s, client, 'ESTABLISHED');
    const port = l.local.port;
    const est = await s.api('GET', `/api/host/sockets?state=estab,TIME-WAIT&port=${port}`);
    expect(est.status).toBe(200);
    expect((est.json.sockets as HostSocket[]).map((h) => h.state)).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect((est.json.sockets as HostSocket[]).every((h) => h.local.port === port || h.remote.port === port)).toBe(true);
    const listening = (await s.api('GET', `/api/host/sockets?state=LISTEN&port=${port}`)).json.sockets as HostSocket[];
    expect(listening).toEqual([expect.objectContaining({ ownerId: l.id, local: l.local })]);
    const all = await s.api('GET', '/api/host/sockets?state=');
    expect(all.json.sockets.length).toBeGreaterThanOrEqual(3);

    const bad = await s.api('GET', '/api/host/sockets?state=ESTABLISHED,SLEEPING');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'BAD_REQUEST', field: 'state' });
    expect(bad.json.error.message).toContain('SLEEPING');
    expect((await s.api('GET', '/api/host/sockets?port=70000')).status).toBe(400);
    expect((await s.api('GET', '/api/host/sockets?pid=1')).status).toBe(400);
  });

  it('/api/info says the kernel view is available; OpenAPI documents the host route', async () => {
    const s = await start();
    const info = await s.api('GET', '/api/info');
    expectShape(InfoReplySchema, info.json);
    expect(info.json.kernel).toEqual({ available: true, reason: null });
    const doc = (await s.api('GET', '/api/openapi.json')).json;
    const params = doc.paths['/api/host/sockets'].get.parameters.map((p: { name: string }) => p.name);
    expect(params.sort()).toEqual(['port', 'state']);
  });
});

describe('without /proc/net/tcp', () => {
  it('reports itself unavailable with the reason; everything else works; rows keep null kernel fields', async () => {
    const s = await start({ kernel: { procRoot: '/nonexistent/proc' } });
    const stream = await s.stream();
    const info = (await s.api('GET', '/api/info')).json;
    expectShape(InfoReplySchema, info);
    expect(info.kernel.available).toBe(false);
    expect(info.kernel.reason).toContain('/nonexistent/proc/net/tcp');

    const l = await listen(s);
    const { client, accepted } = await connect(s, l);
    expect((await s.api('POST', `/api/connections/${client}/send`, { data: 'still fine' })).status).toBe(200);
    await stream.waitFor(is('socket/data', (e) => e.id === accepted && e.direction === 'in'));
    await s.api('POST', `/api/connections/${client}/close`);
    await stream.waitFor(is('socket/closed', (e) => e.id === client));

    const sockets = (await s.api('GET', '/api/sockets')).json;
    for (const r of [...sockets.listeners, ...sockets.connections])
      expect(r).toMatchObject({ tcpState: null, recvQ: null, sendQ: null });
    const host = await s.api('GET', '/api/host/sockets');
    expect(host.status).toBe(200);
    expectShape(HostSocketsReplySchema, host.json);
    expect(host.json).toMatchObject({ kernel: { available: false }, sockets: [] });
    expect((await s.api('GET', '/api/host/sockets?state=NOPE')).status).toBe(400);
    expect(stream.events.some((e) => e.type === 'socket/kernel' || e.type === 'listener/kernel')).toBe(false);
  });
});
