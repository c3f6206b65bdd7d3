// Accept mode `never`: listen() without accept(), so the kernel's accept queue fills and later connects time out.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventOf, InspectorEvent } from '../../../shared';
import { InspectorError } from '../../../backend/inspector/errors';
import { isState, isType } from '../../helpers/loopback';
import { useInspector } from '../../helpers/inspector-fixture';

const fx = useInspector();
const { until } = fx;

const faultOf =
  (id: string) =>
  (e: InspectorEvent): e is EventOf<'socket/fault'> =>
    e.type === 'socket/fault' && e.id === id;

/** Opens an inspector connection and waits until it is open or failed. */
async function connect(port: number, timeoutMs = 3000) {
  const row = fx.inspector.openConnection({ host: '127.0.0.1', port, timeoutMs });
  return fx.inspector.waitSettled(row.id, timeoutMs + 2000);
}

describe('accept mode never', () => {
  it('queues backlog + 1 handshakes without accepting; the next connect times out (ETIMEDOUT)', async () => {
    const listener = await fx.inspector.listen({ port: 0, backlog: 1, accept: 'never' });
    expect(listener).toMatchObject({ accept: 'never', backlog: 1, state: 'listening', accepted: 0 });
    const port = listener.local.port;

    // The kernel completes the handshake on its own: both connects succeed though nobody calls accept().
    expect((await connect(port)).state).toBe('open');
    expect((await connect(port)).state).toBe('open');

    const third = await connect(port, 500);
    expect(third.state).toBe('failed');
    expect(third.fault).toMatchObject({ code: 'ETIMEDOUT', errno: 110, syscall: 'connect', port });

    await fx.inspector.refreshKernel();
    expect(fx.inspector.getListener(listener.id)).toMatchObject({
      tcpState: 'LISTEN',
      recvQ: 2, // the accept queue: two finished handshakes nobody took
      sendQ: 1, // the backlog
      accepted: 0,
    });
    // No connection was ever adopted: only the three client rows exist.
    expect(fx.inspector.sockets().connections.map((c) => c.kind)).toEqual(['client', 'client', 'client']);
  });

  it('closing the listener resets the connections still waiting in its queue', async () => {
    const listener = await fx.inspector.listen({ port: 0, backlog: 4, accept: 'never' });
    const queued = await connect(listener.local.port);
    expect(queued.state).toBe('open');
    await fx.inspector.closeListener(listener.id, { connections: 'keep' });
    await until(isType('listener/closed', listener.id));
    expect((await until(faultOf(queued.id))).fault.code).toBe('ECONNRESET');
    await until(isState(queued.id, 'failed'));
    // The port is free again once the worker has closed its socket.
    const again = await fx.inspector.listen({ port: listener.local.port });
    expect(again.state).toBe('listening');
  });

  it('reports a bind failure like any listener: BIND_FAILED with the EADDRINUSE fault', async () => {
    const held = await fx.inspector.listen({ port: 0 });
    const err = await fx.inspector.listen({ port: held.local.port, accept: 'never' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InspectorError);
    const e = err as InspectorError;
    expect(e).toMatchObject({ code: 'BIND_FAILED', statusCode: 409 });
    expect(e.extra.fault).toMatchObject({ code: 'EADDRINUSE', errno: 98, syscall: 'listen', port: held.local.port });
    expect(fx.inspector.sockets().listeners).toHaveLength(1);
  });

  it('a plain client sees the same: connected, never read, then reset on close; dispose ends the worker', async () => {
    const listener = await fx.inspector.listen({ port: 0, accept: 'never' });
    const s = net.connect({ host: '127.0.0.1', port: listener.local.port });
    const error = new Promise<string>((resolve) =>
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? '')),
    );
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    s.write('nobody reads this');
    await fx.inspector.dispose();
    expect(await error).toBe('ECONNRESET');
    expect(fx.inspector.getListener(listener.id).state).toBe('closed');
  });
});
