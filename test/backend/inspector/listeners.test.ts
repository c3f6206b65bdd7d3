// Listeners: accept modes, closing with or without children, limits, and dispose.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventOf, InspectorEvent } from '../../../shared';
import { Inspector } from '../../../backend/inspector/inspector';
import {
  assertLogValid,
  blackholePort,
  destroySocket,
  dial,
  echoServer,
  isState,
  isType,
  waitForEvent,
  within,
} from '../../helpers/loopback';
import { useInspector } from '../../helpers/inspector-fixture';

const fx = useInspector();
const { teardown, until } = fx;
const acceptedBy = (listenerId: string, n = 0) => {
  let seen = 0;
  return (e: InspectorEvent): e is EventOf<'socket/opened'> =>
    e.type === 'socket/opened' && e.connection.parent === listenerId && seen++ === n;
};
const dataOf =
  (id: string, direction: 'in' | 'out', index?: number) =>
  (e: InspectorEvent): e is EventOf<'socket/data'> =>
    e.type === 'socket/data' && e.id === id && e.direction === direction && (index === undefined || e.index === index);
const text = (e: EventOf<'socket/data'>) => Buffer.from(e.data, 'base64').toString();

/** A plain client that connects and keeps its socket for teardown. */
async function client(port: number): Promise<net.Socket> {
  const s = await dial(port);
  teardown.defer(() => destroySocket(s));
  return s;
}

describe('listen', () => {
  it('binds loopback by default and reports the real port', async () => {
    const row = await fx.inspector.listen({ port: 0 });
    expect(row).toMatchObject({
      id: 'l-1',
      family: 'IPv4',
      backlog: 511,
      accept: 'read',
      exposed: false,
      state: 'listening',
      accepted: 0,
      dropped: 0,
      closedAt: null,
      fault: null,
    });
    expect(row.local.address).toBe('127.0.0.1');
    expect(row.local.port).toBeGreaterThan(0);
    const opened = fx.inspector.events({}).events;
    expect(opened.map((e) => e.type)).toEqual(['listener/opened']);
    expect(fx.inspector.getListener(row.id)).toEqual(row);
  });

  it('marks wildcard binds as exposed', async () => {
    const row = await fx.inspector.listen({ host: '0.0.0.0', port: 0, backlog: 8 });
    expect(row).toMatchObject({ exposed: true, backlog: 8, local: { address: '0.0.0.0' } });
  });

  it('rejects a host that is not an IP literal, creating nothing', async () => {
    await expect(fx.inspector.listen({ host: 'localhost', port: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      extra: { field: 'host' },
    });
    expect(fx.inspector.sockets().listeners).toEqual([]);
    expect(fx.inspector.events({}).lastSeq).toBe(0);
  });
});

describe('accept modes', () => {
  it('read: an accepted connection is born open with endpoints and reads are captured', async () => {
    const l = await fx.inspector.listen({ port: 0 });
    const peer = await client(l.local.port);
    const opened = await until(acceptedBy(l.id));
    expect(opened.connection).toMatchObject({
      kind: 'accepted',
      parent: l.id,
      target: null,
      state: 'open',
      attempt: 0,
      attempts: 0,
      paused: false,
      family: 'IPv4',
      local: { address: '127.0.0.1', port: l.local.port },
      remote: { address: '127.0.0.1', port: peer.localPort },
    });
    expect(fx.inspector.getListener(l.id).accepted).toBe(1);
    peer.write('hello');
    expect(text(await until(dataOf(opened.id, 'in', 1)))).toBe('hello');
  });

  it('echo: every read is written back and captured as an out chunk', async () => {
    const l = await fx.inspector.listen({ port: 0, accept: 'echo' });
    const c = fx.inspector.openConnection({ host: '127.0.0.1', port: l.local.port });
    await until(isState(c.id, 'open'));
    const acc = (await until(acceptedBy(l.id))).id;
    await fx.inspector.send(c.id, { data: 'ping' });
    expect(text(await until(dataOf(c.id, 'in')))).toBe('ping');
    const chunks = fx.inspector.chunks(acc, {}).chunks;
    expect(chunks.map((x) => [x.index, x.direction, x.offset, Buffer.from(x.data, 'base64').toString()])).toEqual([
      [1, 'in', 0, 'ping'],
      [2, 'out', 0, 'ping'],
    ]);
    expect(fx.inspector.getConnection(acc)).toMatchObject({ bytesIn: 4, bytesOut: 4 });
  });

  it('closeOnPeerFin: an accepted connection closes when the peer sends FIN, after echoing what it had', async () => {
    const l = await fx.inspector.listen({ port: 0, accept: 'echo', closeOnPeerFin: true });
    expect(l.closeOnPeerFin).toBe(true);
    const s = await client(l.local.port);
    const acc = (await until(acceptedBy(l.id))).id;
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    const ended = new Promise((resolve) => s.once('end', resolve));
    s.end('bye');
    await ended; // our FIN came back: the server side closed
    expect(Buffer.concat(got).toString()).toBe('bye');
    await until(isState(acc, 'closed'));
    expect(fx.inspector.getConnection(acc)).toMatchObject({ state: 'closed', bytesIn: 3, bytesOut: 3 });
  });

  it('without closeOnPeerFin an accepted connection stays half-closed after the peer FIN', async () => {
    const l = await fx.inspector.listen({ port: 0 });
    expect(l.closeOnPeerFin).toBe(false);
    const s = await client(l.local.port);
    const acc = (await until(acceptedBy(l.id))).id;
    s.end();
    await until(isState(acc, 'half-closed-remote'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fx.inspector.getConnection(acc).state).toBe('half-closed-remote');
  });

  it('hold: accepted but never read until resumed', async () => {
    const echo = teardown.add(await echoServer());
    const l = await fx.inspector.listen({ port: 0, accept: 'hold' });
    const peer = await client(l.local.port);
    const acc = (await until(acceptedBy(l.id))).connection;
    expect(acc.paused).toBe(true);
    await new Promise<void>((resolve) => peer.write('queued in the kernel', () => resolve()));
    // an echo round trip elsewhere: the loop runs, the bytes sit unread
    const probe = fx.inspector.openConnection({ host: '127.0.0.1', port: echo.port });
    await until(isState(probe.id, 'open'));
    await fx.inspector.send(probe.id, { data: '.' });
    await until(dataOf(probe.id, 'in'));
    expect(fx.inspector.getConnection(acc.id).chunksIn).toBe(0);
    expect(fx.inspector.resume(acc.id).paused).toBe(false);
    const first = await until(dataOf(acc.id, 'in', 1));
    expect(text(first)).toBe('queued in the kernel');
    expect(
      fx.inspector
        .events({ id: acc.id })
        .events.filter(isType('socket/flow'))
        .map((e) => e.paused),
    ).toEqual([false]);
  });
});

describe('closeListener', () => {
  it('keep: stops accepting, children stay open; listener/state then listener/closed', async () => {
    const l = await fx.inspector.listen({ port: 0 });
    const peer = await client(l.local.port);
    const acc = (await until(acceptedBy(l.id))).id;
    const closed = await fx.inspector.closeListener(l.id, { connections: 'keep' });
    expect(closed).toMatchObject({ state: 'closed', accepted: 1 });
    expect(closed.closedAt).not.toBeNull();
    const events = fx.inspector.events({ id: l.id }).events;
    expect(events.map((e) => e.type)).toEqual(['listener/opened', 'listener/state', 'listener/closed']);
    expect(events[1]).toMatchObject({ from: 'listening', to: 'closed' });
    expect(fx.inspector.getConnection(acc).state).toBe('open');
    peer.write('still here');
    expect(text(await until(dataOf(acc, 'in')))).toBe('still here');
    // nothing listens any more
    const retry = fx.inspector.openConnection({ host: '127.0.0.1', port: l.local.port });
    expect((await until(isState(retry.id, 'failed'))).cause).toBe('error');
    expect(fx.inspector.getConnection(retry.id).fault?.code).toBe('ECONNREFUSED');
    // closing again is harmless
    expect((await fx.inspector.closeListener(l.id, { connections: 'keep' })).state).toBe('closed');
  });

  it('close: each child is closed gracefully and the peer sees FIN', async () => {
    const l = await fx.inspector.listen({ port: 0 });
    const peer = await client(l.local.port);
    const ended = new Promise<void>((resolve) => peer.once('end', resolve));
    const acc = (await until(acceptedBy(l.id))).id;
    await fx.inspector.closeListener(l.id, { connections: 'close' });
    expect(await until(isState(acc, 'closed'))).toMatchObject({ from: 'open', cause: 'close' });
    await within(ended, 3000, 'peer end');
  });
});

describe('limits and retention', () => {
  it('maxListeners counts live listeners', async () => {
    const small = new Inspector({ limits: { maxListeners: 1 } });
    teardown.defer(() => small.dispose());
    const first = await small.listen({ port: 0 });
    await expect(small.listen({ port: 0 })).rejects.toMatchObject({
      code: 'LIMIT_REACHED',
      extra: { limit: 'maxListeners' },
    });
    await small.closeListener(first.id, { connections: 'keep' });
    expect((await small.listen({ port: 0 })).id).toBe('l-2');
    assertLogValid(small);
  });

  it('an accepted connection beyond maxConnections is reset at once and counted as dropped', async () => {
    const small = new Inspector({ limits: { maxConnections: 1 } });
    teardown.defer(() => small.dispose());
    const l = await small.listen({ port: 0 });
    await client(l.local.port);
    await waitForEvent(small, acceptedBy(l.id), 3000, 0);
    const second = net.connect({ host: '127.0.0.1', port: l.local.port });
    teardown.defer(() => destroySocket(second));
    const outcome = new Promise<string>((resolve) => {
      second.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      second.on('close', () => resolve('close'));
    });
    expect(['ECONNRESET', 'close']).toContain(await within(outcome, 3000, 'dropped connection'));
    expect(small.getListener(l.id)).toMatchObject({ accepted: 1, dropped: 1 });
    expect(small.sockets().connections).toHaveLength(1);
    assertLogValid(small);
  });

  it('keeps at most maxClosedRows closed rows, forgetting the oldest with its capture', async () => {
    const small = new Inspector({ limits: { maxClosedRows: 1 } });
    teardown.defer(() => small.dispose());
    const l = await small.listen({ port: 0 });
    const a = small.openConnection({ host: '127.0.0.1', port: l.local.port });
    const b = small.openConnection({ host: '127.0.0.1', port: l.local.port });
    await waitForEvent(small, isState(b.id, 'open'), 3000, 0);
    await waitForEvent(small, isState(a.id, 'open'), 3000, 0);
    small.reset(a.id);
    await waitForEvent(small, isState(a.id, 'closed'), 3000, 0);
    expect(small.getConnection(a.id).state).toBe('closed');
    small.reset(b.id);
    await waitForEvent(small, isState(b.id, 'closed'), 3000, 0);
    expect(() => small.getConnection(a.id)).toThrow(expect.objectContaining({ code: 'CONNECTION_NOT_FOUND' }));
    expect(small.getConnection(b.id).state).toBe('closed');
    expect(small.sockets().connections.map((c) => c.id)).not.toContain(a.id);
  });
});

// blackholePort starts a worker thread and fills its accept queue: above the default 5 s is possible on a busy machine.
describe('dispose', { timeout: 15_000 }, () => {
  const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;

  it('resets every connection, closes every listener, and leaves no TCP handles', async () => {
    const baseline = tcpHandles();
    const hole = await blackholePort();
    const l = await fx.inspector.listen({ port: 0, accept: 'hold' });
    const open = fx.inspector.openConnection({ host: '127.0.0.1', port: l.local.port });
    const connecting = fx.inspector.openConnection({ host: '127.0.0.1', port: hole.port, timeoutMs: 60000 });
    await until(isState(open.id, 'open'));
    const acc = (await until(acceptedBy(l.id))).id;
    fx.inspector.shutdown(acc); // a half-closed socket cannot be RST: dispose must still end it

    await within(fx.inspector.dispose(), 3000, 'dispose');
    await within(fx.inspector.dispose(), 100, 'second dispose');
    const rows = fx.inspector.sockets();
    expect(rows.listeners.map((x) => x.state)).toEqual(['closed']);
    expect(rows.connections.map((c) => [c.id, c.state])).toEqual([
      [open.id, 'closed'],
      [connecting.id, 'closed'],
      [acc, 'closed'],
    ]);
    await hole.close();
    expect(tcpHandles()).toBe(baseline);
    expect(() => fx.inspector.openConnection({ host: '127.0.0.1', port: l.local.port })).toThrow(/disposed/);
    await expect(fx.inspector.listen({ port: 0 })).rejects.toThrow(/disposed/);
  });
});
