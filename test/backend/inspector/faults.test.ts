// Faults made for real on loopback: refused, reset, broken pipe, timeout, address in use; retries.
import dns from 'node:dns/promises';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../../shared';
import { Inspector } from '../../../backend/inspector/inspector';
import {
  assertLogValid,
  blackholePort,
  isState,
  isType,
  peer,
  refusedPort,
  resetOnAccept,
  silentServer,
  waitForEvent,
} from '../../helpers/loopback';
import { useInspector } from '../../helpers/inspector-fixture';

const fx = useInspector();
const { teardown, until } = fx;
const faultsOf = (id: string) => fx.inspector.events({ id }).events.filter(isType('socket/fault'));
const typesOf = (id: string) =>
  fx.inspector.events({ id }).events.map((e) => (e.type === 'socket/state' ? `${e.from}->${e.to}` : e.type));

// blackholePort starts a worker thread and fills its accept queue: more than vitest's default 5 s is possible on a busy
// machine.
describe('connect faults', { timeout: 15_000 }, () => {
  it('ECONNREFUSED on a port nobody listens on: fault, then connecting -> failed', async () => {
    const port = await refusedPort();
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port });
    const failed = await until(isState(row.id, 'failed'));
    expect(failed).toMatchObject({ from: 'connecting', cause: 'error' });
    const [fault] = faultsOf(row.id);
    expect(fault).toMatchObject({ attempt: 1, retryInMs: null });
    expect(fault!.fault).toMatchObject({
      code: 'ECONNREFUSED',
      errno: 111,
      syscall: 'connect',
      address: '127.0.0.1',
      port,
      state: 'connecting',
    });
    expect(typesOf(row.id)).toEqual([
      'socket/opened',
      'socket/attempt',
      'socket/fault',
      'connecting->failed',
      'socket/closed',
    ]);
    expect(fx.inspector.getConnection(row.id)).toMatchObject({ state: 'failed', fault: fault!.fault });
  });

  it('ETIMEDOUT from our connect timer when the peer backlog is full and never accepted', async () => {
    const hole = teardown.add(await blackholePort());
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: hole.port, timeoutMs: 300 });
    const failed = await until(isState(row.id, 'failed'));
    expect(failed.cause).toBe('timeout');
    const fault = faultsOf(row.id)[0]!.fault;
    expect(fault).toMatchObject({
      code: 'ETIMEDOUT',
      errno: 110,
      syscall: 'connect',
      address: '127.0.0.1',
      port: hole.port,
    });
    expect(fault.message).toBe(`connect ETIMEDOUT 127.0.0.1:${hole.port} (no answer within 300 ms)`);
    expect((failed.at - fx.inspector.getConnection(row.id).createdAt) / 1000).toBeGreaterThanOrEqual(290);
  });

  it('a close during connecting cancels the attempt: closed, cause close', async () => {
    const hole = teardown.add(await blackholePort());
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: hole.port, timeoutMs: 60000 });
    expect(fx.inspector.close(row.id).state).toBe('closed');
    expect(typesOf(row.id)).toEqual(['socket/opened', 'socket/attempt', 'connecting->closed', 'socket/closed']);
    expect(fx.inspector.events({ id: row.id }).events.find(isType('socket/state'))?.cause).toBe('close');
  });
});

describe('resets and broken pipes', () => {
  it('ECONNRESET when the peer resets at accept: fault, then failed', async () => {
    const rst = teardown.add(await resetOnAccept('accept'));
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: rst.port });
    const failed = await until(isState(row.id, 'failed'));
    expect(failed.cause).toBe('error');
    // The RST can beat our connect completion (then the fault is on connect) or follow it (then on read).
    const fault = faultsOf(row.id)[0]!.fault;
    expect(fault).toMatchObject({ code: 'ECONNRESET', errno: 104 });
    expect(fx.inspector.getConnection(row.id).fault?.code).toBe('ECONNRESET');
  });

  it('ECONNRESET on an open connection: open -> failed with the fault on the row', async () => {
    const rst = teardown.add(await resetOnAccept('data'));
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: rst.port });
    await until(isState(row.id, 'open'));
    await fx.inspector.send(row.id, { data: 'poke' });
    const failed = await until(isState(row.id, 'failed'));
    expect(failed).toMatchObject({ from: 'open', cause: 'error' });
    const [fault] = faultsOf(row.id);
    expect(fault).toMatchObject({ attempt: 1, retryInMs: null });
    expect(fault!.fault).toMatchObject({
      code: 'ECONNRESET',
      errno: 104,
      state: 'open',
      address: '127.0.0.1',
      port: rst.port,
    });
    expect(fx.inspector.getConnection(row.id)).toMatchObject({ state: 'failed', bytesOut: 4 });
  });

  it('EPIPE or ECONNRESET when writing again and again after the peer closed', async () => {
    const closer = teardown.add(await peer((s) => s.destroy()));
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: closer.port });
    await until(isState(row.id, 'half-closed-remote'));
    const fault = until(isType('socket/fault', row.id));
    for (let i = 0; i < 1000 && fx.inspector.getConnection(row.id).state === 'half-closed-remote'; i++) {
      try {
        await fx.inspector.send(row.id, { data: 'x'.repeat(1000) });
      } catch {
        break; // the error arrived: no longer writable
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(['EPIPE', 'ECONNRESET']).toContain((await fault).fault.code);
    expect((await fault).fault.state).toBe('half-closed-remote');
    expect(await until(isState(row.id, 'failed'))).toMatchObject({ from: 'half-closed-remote', cause: 'error' });
  });
});

describe('half-close', () => {
  it('is seen on both sides; when the other side shuts down too, both end closed', async () => {
    const listener = await fx.inspector.listen({ port: 0 });
    const client = fx.inspector.openConnection({ host: '127.0.0.1', port: listener.local.port });
    await until(isState(client.id, 'open'));
    const opened = await until(
      (e): e is EventOf<'socket/opened'> => e.type === 'socket/opened' && e.connection.kind === 'accepted',
    );
    const accepted = opened.id;
    expect(opened.connection).toMatchObject({ state: 'open', parent: listener.id, target: null, attempt: 0 });
    expect(fx.inspector.getConnection(accepted)).toMatchObject({
      kind: 'accepted',
      parent: listener.id,
      state: 'open',
    });

    expect(fx.inspector.shutdown(client.id)).toMatchObject({ state: 'half-closed-local' });
    expect(await until(isState(accepted, 'half-closed-remote'))).toMatchObject({ from: 'open', cause: 'peer-fin' });
    await fx.inspector.send(accepted, { data: 'late reply' }); // the other direction still works
    await until(
      (e): e is EventOf<'socket/data'> => e.type === 'socket/data' && e.id === client.id && e.direction === 'in',
    );

    expect(fx.inspector.shutdown(accepted).state).toBe('half-closed-remote');
    expect(await until(isState(accepted, 'closed'))).toMatchObject({ from: 'half-closed-remote', cause: 'shutdown' });
    expect(await until(isState(client.id, 'closed'))).toMatchObject({ from: 'half-closed-local', cause: 'peer-fin' });
  });
});

describe('EADDRINUSE', () => {
  it('listening twice on one port rejects with BIND_FAILED and creates no row and no event', async () => {
    const first = await fx.inspector.listen({ port: 0 });
    const before = fx.inspector.events({}).lastSeq;
    const err = await fx.inspector.listen({ port: first.local.port }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'BIND_FAILED', statusCode: 409 });
    expect((err as { extra: { fault: unknown } }).extra.fault).toMatchObject({
      code: 'EADDRINUSE',
      errno: 98,
      syscall: 'listen',
      address: '127.0.0.1',
      port: first.local.port,
    });
    expect(fx.inspector.sockets().listeners.map((l) => l.id)).toEqual([first.id]);
    expect(fx.inspector.events({}).lastSeq).toBe(before);
    expect((await fx.inspector.listen({ port: 0 })).id).toBe('l-2');
  });
});

describe('retry', () => {
  it('keeps trying until a listener appears on the port (connect-before-listen)', async () => {
    const port = await refusedPort();
    const row = fx.inspector.openConnection({
      host: '127.0.0.1',
      port,
      retry: { attempts: 50, backoff: 'fixed', initialDelayMs: 20 },
    });
    expect(row).toMatchObject({ attempts: 50, attempt: 1 });
    const first = await until(isType('socket/fault', row.id));
    expect(first).toMatchObject({ attempt: 1, retryInMs: 20 });
    const late = teardown.add(await listenOn(port));
    const open = await until(isState(row.id, 'open'));
    expect(open.from).toBe('connecting');
    const events = fx.inspector.events({ id: row.id }).events;
    const attempts = events.filter(isType('socket/attempt')).map((e) => e.attempt);
    const faults = events.filter(isType('socket/fault'));
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    expect(faults.length).toBe(attempts.length - 1);
    expect(faults.every((f) => f.fault.code === 'ECONNREFUSED' && f.retryInMs === 20)).toBe(true);
    expect(events.filter(isType('socket/state')).map((e) => e.to)).toEqual(['open']);
    expect(fx.inspector.getConnection(row.id)).toMatchObject({ state: 'open', attempt: attempts.length });
    await late.accepted();
  });

  it('reports exponential delays and gives up after the last attempt', async () => {
    const port = await refusedPort();
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port, retry: { attempts: 3, initialDelayMs: 5 } });
    await until(isState(row.id, 'failed'));
    expect(faultsOf(row.id).map((f) => [f.attempt, f.retryInMs])).toEqual([
      [1, 5],
      [2, 10],
      [3, null],
    ]);
    expect(typesOf(row.id)).toEqual([
      'socket/opened',
      'socket/attempt',
      'socket/fault',
      'socket/attempt',
      'socket/fault',
      'socket/attempt',
      'socket/fault',
      'connecting->failed',
      'socket/closed',
    ]);
  });

  it('a reset during the backoff cancels the retry: closed, cause reset', async () => {
    const port = await refusedPort();
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port, retry: { attempts: 5, initialDelayMs: 60000 } });
    await until(isType('socket/fault', row.id));
    expect(fx.inspector.reset(row.id).state).toBe('closed');
    const state = fx.inspector.events({ id: row.id }).events.filter(isType('socket/state'));
    expect(state.map((e) => [e.from, e.to, e.cause])).toEqual([['connecting', 'closed', 'reset']]);
  });
});

describe('self-connect', () => {
  it('refuses our own port on loopback names and literals, creating nothing', async () => {
    const own = await silentServer();
    teardown.add(own);
    const guarded = new Inspector({ forbiddenPorts: () => [own.port] });
    teardown.defer(() => guarded.dispose());
    for (const host of ['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::ffff:127.0.0.1']) {
      expect(() => guarded.openConnection({ host, port: own.port })).toThrow(
        expect.objectContaining({ code: 'SELF_CONNECT', statusCode: 403 }),
      );
    }
    expect(guarded.sockets().connections).toEqual([]);
    expect(guarded.events({}).lastSeq).toBe(0);
  });

  it('fails the attempt with SELF_CONNECT when a host name resolves here, without retrying', async () => {
    // '127.1' is not an IP literal to Node (net.isIP gives 0), so it goes through the resolver, and getaddrinfo
    // turns it into 127.0.0.1 on every machine: the post-lookup guard is exercised without depending on /etc/hosts.
    const name = '127.1';
    expect((await dns.lookup(name)).address).toBe('127.0.0.1');
    const own = teardown.add(await silentServer());
    const guarded = new Inspector({ forbiddenPorts: () => [own.port] });
    teardown.defer(() => guarded.dispose());
    const row = guarded.openConnection({ host: name, port: own.port, retry: { attempts: 3, initialDelayMs: 1 } });
    await waitForEvent(guarded, isState(row.id, 'failed'), 3000, 0);
    const faults = guarded.events({ id: row.id }).events.filter(isType('socket/fault'));
    expect(faults.map((f) => [f.fault.code, f.fault.errno, f.retryInMs])).toEqual([['SELF_CONNECT', null, null]]);
    assertLogValid(guarded);
  });
});

describe('limits', () => {
  it('maxConnections counts live connections only', async () => {
    const small = new Inspector({ limits: { maxConnections: 2 } });
    teardown.defer(() => small.dispose());
    const silent = teardown.add(await silentServer());
    const a = small.openConnection({ host: '127.0.0.1', port: silent.port });
    small.openConnection({ host: '127.0.0.1', port: silent.port });
    let err: unknown;
    try {
      small.openConnection({ host: '127.0.0.1', port: silent.port });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'LIMIT_REACHED', statusCode: 429, extra: { limit: 'maxConnections' } });
    expect(small.sockets().connections).toHaveLength(2);
    small.reset(a.id);
    expect(small.openConnection({ host: '127.0.0.1', port: silent.port }).id).toBe('c-3');
    assertLogValid(small);
  });
});

function listenOn(port: number): Promise<{ close(): Promise<void>; accepted(): Promise<net.Socket> }> {
  return new Promise((resolve, reject) => {
    let first: (s: net.Socket) => void = () => {};
    const got = new Promise<net.Socket>((r) => (first = r));
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => {
      sockets.push(s);
      first(s);
    });
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () =>
      resolve({
        accepted: () => got,
        close: () => {
          sockets.forEach((s) => s.destroy());
          return new Promise<void>((r) => server.close(() => r()));
        },
      }),
    );
  });
}
