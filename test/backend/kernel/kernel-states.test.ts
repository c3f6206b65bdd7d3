// Kernel truth on real loopback sockets: LISTEN and its accept queue, ESTABLISHED, CLOSE_WAIT / FIN_WAIT2, TIME_WAIT.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventOf, InspectorEvent, TcpState } from '../../../shared';
import { Inspector } from '../../../backend/inspector/inspector';
import {
  assertLogValid,
  blackholePort,
  destroySocket,
  dial,
  isState,
  waitForEvent,
  within,
} from '../../helpers/loopback';
import { useInspector } from '../../helpers/inspector-fixture';
import { ssTan } from './ss';

const fx = useInspector(5000);
const { teardown, until } = fx;
const kernel =
  (id: string, state: TcpState | null) =>
  (e: InspectorEvent): e is EventOf<'socket/kernel'> =>
    e.type === 'socket/kernel' && e.id === id && e.tcpState === state;
const listenerKernel =
  (id: string) =>
  (e: InspectorEvent): e is EventOf<'listener/kernel'> =>
    e.type === 'listener/kernel' && e.id === id && e.tcpState === 'LISTEN';
const acceptedBy =
  (listenerId: string) =>
  (e: InspectorEvent): e is EventOf<'socket/opened'> =>
    e.type === 'socket/opened' && e.connection.parent === listenerId;
const kernelEvents = (id: string) =>
  fx.inspector.events({ id }).events.filter((e) => e.type === 'socket/kernel' || e.type === 'listener/kernel');

/** A listener of sockscope's and a client of sockscope's connected to it. */
async function pair(accept: 'read' | 'hold' = 'read') {
  const listener = await fx.inspector.listen({ port: 0, accept });
  const client = fx.inspector.openConnection({ host: '127.0.0.1', port: listener.local.port });
  await until(isState(client.id, 'open'));
  const accepted = (await until(acceptedBy(listener.id))).id;
  return { listener: listener.id, port: listener.local.port, client: client.id, accepted };
}

// These run `ss` (a process) and start a worker-thread listener (blackholePort) besides their sockets: on a busy machine
// more than vitest's default 5 s is possible.
describe('kernel states of sockscope-owned sockets', { timeout: 20_000 }, () => {
  it('LISTEN: accept queue 0 and the backlog in force, as ss shows them', async () => {
    const row = await fx.inspector.listen({ port: 0, backlog: 7 });
    const e = await until(listenerKernel(row.id));
    expect(e).toMatchObject({ tcpState: 'LISTEN', recvQ: 0, sendQ: 7 });
    const ss = (await ssTan(`sport = :${row.local.port}`)).find((r) => r.state === 'LISTEN');
    expect(ss).toMatchObject({ state: 'LISTEN', recvQ: 0, sendQ: 7, local: row.local });
    expect(fx.inspector.getListener(row.id)).toMatchObject({ tcpState: 'LISTEN', recvQ: 0, sendQ: 7 });
  });

  it('LISTEN with connections waiting in the accept queue (a listener whose process never accepts)', async () => {
    const hole = teardown.add(await blackholePort({ backlog: 8, queued: 3 }));
    const reply = await fx.inspector.hostSockets({ port: hole.port, state: 'LISTEN' });
    expect(reply.sockets).toEqual([
      expect.objectContaining({ state: 'LISTEN', recvQ: 3, local: { address: '127.0.0.1', port: hole.port } }),
    ]);
    const ss = (await ssTan(`sport = :${hole.port}`)).find((r) => r.state === 'LISTEN');
    expect(ss).toMatchObject({ recvQ: 3, sendQ: 8 });
    // The three handshakes are complete: ESTABLISHED on both ends though nobody accepted them.
    const established = await fx.inspector.hostSockets({ port: hole.port, state: 'ESTABLISHED' });
    expect(established.sockets).toHaveLength(6);
  });

  it('ESTABLISHED on both ends of a pair, empty queues; rows carry it', async () => {
    const p = await pair();
    for (const id of [p.client, p.accepted]) {
      expect(await until(kernel(id, 'ESTABLISHED'))).toMatchObject({ recvQ: 0, sendQ: 0 });
      expect(fx.inspector.getConnection(id)).toMatchObject({
        state: 'open',
        tcpState: 'ESTABLISHED',
        recvQ: 0,
        sendQ: 0,
      });
    }
    expect(kernelEvents(p.client).filter((e) => e.tcpState === 'ESTABLISHED')).toHaveLength(1); // events on change only
  });

  it('shutdown: FIN_WAIT2 on our side, CLOSE_WAIT on the side that has not closed after our FIN', async () => {
    const p = await pair();
    fx.inspector.shutdown(p.client);
    await until(isState(p.accepted, 'half-closed-remote'));
    expect(await until(kernel(p.client, 'FIN_WAIT2'))).toMatchObject({ recvQ: 0, sendQ: 0 });
    await until(kernel(p.accepted, 'CLOSE_WAIT'));
    expect(fx.inspector.getConnection(p.client)).toMatchObject({ state: 'half-closed-local', tcpState: 'FIN_WAIT2' });
  });

  it('close: the row closes, the kernel keeps FIN_WAIT2 then TIME_WAIT, still reported under the id', async () => {
    const p = await pair();
    await until(kernel(p.client, 'ESTABLISHED'));
    fx.inspector.close(p.client);
    const closed = await until(isState(p.client, 'closed'));
    await until(kernel(p.client, 'FIN_WAIT2'));
    expect(fx.inspector.getConnection(p.client)).toMatchObject({ state: 'closed', tcpState: 'FIN_WAIT2' });
    await until(isState(p.accepted, 'half-closed-remote'));
    fx.inspector.close(p.accepted); // its FIN: the active closer goes to TIME_WAIT
    const timeWait = await until(kernel(p.client, 'TIME_WAIT'));
    expect(timeWait).toMatchObject({ recvQ: 0, sendQ: 0 });
    expect(timeWait.seq).toBeGreaterThan(closed.seq);
    expect(fx.inspector.getConnection(p.client)).toMatchObject({ state: 'closed', tcpState: 'TIME_WAIT' });
    // The passive closer's socket is gone once our ACK came back: one last event with everything null.
    await until(kernel(p.accepted, null));
    expect(fx.inspector.getConnection(p.accepted)).toMatchObject({ tcpState: null, recvQ: null, sendQ: null });
    // The host view says where that TIME_WAIT comes from.
    const row = fx.inspector.getConnection(p.client);
    const tw = await fx.inspector.hostSockets({ state: 'TIME-WAIT', port: row.local!.port });
    expect(tw.sockets).toEqual([expect.objectContaining({ ownerId: p.client, inode: 0, pid: null })]);
  });

  it('reset: the kernel forgets at once; the last kernel event is all null', async () => {
    const p = await pair();
    await until(kernel(p.client, 'ESTABLISHED'));
    fx.inspector.reset(p.client);
    await until(isState(p.accepted, 'failed'));
    await until(kernel(p.client, null));
    await until(kernel(p.accepted, null));
    const last = kernelEvents(p.client).at(-1);
    expect(last).toMatchObject({ tcpState: null, recvQ: null, sendQ: null });
  });

  it('a listener closed: LISTEN, then null once the socket is gone', async () => {
    const row = await fx.inspector.listen({ port: 0 });
    await until(listenerKernel(row.id));
    await fx.inspector.closeListener(row.id, { connections: 'keep' });
    const gone = await until(
      (e): e is EventOf<'listener/kernel'> => e.type === 'listener/kernel' && e.id === row.id && e.tcpState === null,
    );
    expect(gone).toMatchObject({ recvQ: null, sendQ: null });
  });
});

describe('when the kernel is read', () => {
  it('nobody watching: no polling; refreshKernel() reads on demand and fills the rows', async () => {
    const listener = await fx.inspector.listen({ port: 0 });
    const client = await dial(listener.local.port);
    teardown.defer(() => destroySocket(client));
    // Wait without subscribing: the accepted row is there once the fx.inspector has adopted the socket.
    await within(
      (async () => {
        while (fx.inspector.sockets().connections.length === 0) await new Promise((r) => setImmediate(r));
      })(),
      3000,
      'accept',
    );
    const id = fx.inspector.sockets().connections[0]!.id;
    expect(fx.inspector.getConnection(id).tcpState).toBeNull();
    expect(kernelEvents(id)).toEqual([]);
    await fx.inspector.refreshKernel();
    expect(fx.inspector.getConnection(id)).toMatchObject({ tcpState: 'ESTABLISHED', recvQ: 0, sendQ: 0 });
    expect(fx.inspector.getListener(listener.id)).toMatchObject({ tcpState: 'LISTEN', recvQ: 0, sendQ: 511 });
  });

  it('IPv6 and a dual-stack listener reached over IPv4 (v4-mapped in tcp6) are matched', async () => {
    const v6 = await fx.inspector.listen({ host: '::1', port: 0 });
    const dual = await fx.inspector.listen({ host: '::', port: 0 });
    const a = fx.inspector.openConnection({ host: '::1', port: v6.local.port });
    const b = fx.inspector.openConnection({ host: '127.0.0.1', port: dual.local.port });
    await until(isState(a.id, 'open'));
    await until(isState(b.id, 'open'));
    await until(kernel(a.id, 'ESTABLISHED'));
    await until(kernel(b.id, 'ESTABLISHED'));
    await until(listenerKernel(v6.id));
    await until(listenerKernel(dual.id));
    for (const c of fx.inspector.sockets().connections) expect(c.tcpState, `${c.id} ${c.kind}`).toBe('ESTABLISHED');
    const accepted = fx.inspector.sockets().connections.find((c) => c.parent === dual.id)!;
    expect(accepted.local?.address).toBe('::ffff:127.0.0.1');
  });
});

// Up to 16 MiB echoed to a peer that reads only at the end (10 s allowed for that read): above the default 5 s.
describe('queued bytes and their bound', { timeout: 30_000 }, () => {
  it('a send that would pass maxQueuedBytesPerConnection is refused with LIMIT_REACHED and writes nothing', async () => {
    const small = new Inspector({ limits: { maxQueuedBytesPerConnection: 1 << 20 } });
    teardown.defer(() => small.dispose());
    const listener = await small.listen({ port: 0, accept: 'hold' });
    const row = small.openConnection({ host: '127.0.0.1', port: listener.local.port });
    await waitForEvent(small, isState(row.id, 'open'), 3000, 0);
    const chunk = Buffer.alloc(256 * 1024, 1).toString('base64');
    let refused: unknown = null;
    let sent = 0;
    for (let i = 0; i < 200 && refused === null; i++) {
      try {
        sent += (await small.send(row.id, { data: chunk, encoding: 'base64' })).bytes;
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toMatchObject({
      code: 'LIMIT_REACHED',
      statusCode: 429,
      extra: { limit: 'maxQueuedBytesPerConnection' },
    });
    const after = small.getConnection(row.id);
    expect(after.bytesOut).toBe(sent);
    expect(after.queuedBytes).toBeGreaterThan(0);
    expect(after.queuedBytes).toBeLessThanOrEqual(1 << 20);
    const queue = await waitForEvent(small, (e) => e.type === 'socket/queue' && e.id === row.id, 3000, 0);
    expect(queue).toMatchObject({ queuedBytes: expect.any(Number) });
    assertLogValid(small);
  });

  it('echo to a peer that never reads stops reading at the bound instead of buffering without end', async () => {
    const limit = 256 * 1024;
    const small = new Inspector({ limits: { maxQueuedBytesPerConnection: limit } });
    teardown.defer(() => small.dispose());
    const listener = await small.listen({ port: 0, accept: 'echo' });
    const peer = net.connect({ host: '127.0.0.1', port: listener.local.port });
    peer.on('error', () => {});
    teardown.defer(() => destroySocket(peer));
    peer.pause(); // reads nothing: the echo piles up in the kernel, then in sockscope
    await within(new Promise((r) => peer.once('connect', r)), 3000, 'connect');
    const total = 16 << 20;
    const payload = Buffer.alloc(total, 7);
    peer.write(payload);
    // Sockscope reads until its echo backlog reaches the bound, then stops: the rest waits in the kernel.
    const acc = (
      await waitForEvent(small, (e) => e.type === 'socket/opened' && e.connection.kind === 'accepted', 3000, 0)
    ).id;
    await waitForEvent(small, (e) => e.type === 'socket/queue' && e.id === acc && e.queuedBytes >= limit, 5000, 0);
    const held = small.getConnection(acc);
    expect(held.queuedBytes).toBeLessThanOrEqual(limit + 256 * 1024); // one read's worth above the bound at most
    expect(held.bytesIn).toBeLessThan(total);
    peer.resume();
    const echoed = await within(readAll(peer, total), 10_000, 'reading the echo');
    expect(echoed.equals(payload)).toBe(true);
    expect(small.getConnection(acc)).toMatchObject({ bytesIn: total, bytesOut: total });
    assertLogValid(small);
  });
});

async function readAll(socket: net.Socket, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of socket) {
    parts.push(chunk as Buffer);
    n += (chunk as Buffer).length;
    if (n >= bytes) break;
  }
  return Buffer.concat(parts);
}
