// Real loopback peers on 127.0.0.1:0 for inspector tests, plus event waiting that checks every event against the contract.
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { parseEvent, type ConnectionState, type EventOf, type InspectorEvent } from '../../shared';
import type { InspectorApi } from '../../backend/inspector/api';

export interface Peer {
  port: number;
  server: net.Server;
  /** The nth socket this peer accepted (0-based), waiting for it if needed. */
  accepted(n?: number): Promise<net.Socket>;
  close(): Promise<void>;
}

/** A listening server on 127.0.0.1:0 that remembers its sockets and destroys them all on close. */
export async function peer(
  onSocket: (socket: net.Socket) => void = () => {},
  opts: net.ServerOpts = {},
): Promise<Peer> {
  const sockets: net.Socket[] = [];
  const waiting: Array<{ n: number; resolve: (s: net.Socket) => void }> = [];
  const server = net.createServer({ allowHalfOpen: true, ...opts }, (socket) => {
    socket.on('error', () => {});
    sockets.push(socket);
    for (const w of waiting.filter((w) => w.n < sockets.length)) w.resolve(sockets[w.n]!);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    server,
    accepted: (n = 0) =>
      sockets[n] ? Promise.resolve(sockets[n]) : new Promise<net.Socket>((resolve) => waiting.push({ n, resolve })),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes back whatever it reads; ends when the client ends. */
export const echoServer = (): Promise<Peer> => peer((s) => s.pipe(s));

/** Accepts and reads (discarding), never writes. */
export const silentServer = (): Promise<Peer> => peer((s) => s.resume());

/** Resets every connection: at once, or on the first byte it reads. */
export const resetOnAccept = (when: 'accept' | 'data' = 'accept'): Promise<Peer> =>
  peer((s) => (when === 'accept' ? s.resetAndDestroy() : s.once('data', () => s.resetAndDestroy())));

/** A port nothing listens on: bind port 0, read it, close. */
/** Whether a connect to 127.0.0.1:port is refused (nothing listens there any more). */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const BLOCKED_LISTENER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const server = net.createServer();
server.listen({ host: '127.0.0.1', port: 0, backlog: workerData.backlog }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(new Int32Array(workerData.flag), 0, 0); // the event loop never runs: nothing is ever accept()ed
  server.close();
  process.exit(0);
});`;

export interface Blackhole {
  port: number;
  close(): Promise<void>;
}

/**
 * A listener whose accept queue is full and never drained: new connects hang until timeout (a real SYN_SENT).
 * Its event loop is blocked in a worker thread, so the kernel queues a backlog's worth of connections and drops the rest.
 * With `queued` below backlog + 1, the queue holds exactly that many connections and is not full.
 */
export async function blackholePort({
  backlog = 1,
  queued = backlog + 1,
}: { backlog?: number; queued?: number } = {}): Promise<Blackhole> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(BLOCKED_LISTENER, { eval: true, workerData: { flag, backlog } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const fillers: net.Socket[] = [];
  // A backlog of n holds up to n + 1 completed connections: by default take them all so the next SYN is dropped.
  for (let i = 0; i < queued; i++) {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => {});
    fillers.push(s);
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
  }
  return {
    port,
    close: async () => {
      await Promise.all(fillers.map(destroySocket));
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      Atomics.store(new Int32Array(flag), 0, 1);
      Atomics.notify(new Int32Array(flag), 0);
      await exited;
    },
  };
}

/** Throws unless the event matches the shared schema: these tests are the contract. */
export function assertValidEvent(e: unknown): asserts e is InspectorEvent {
  const r = parseEvent(e);
  if (!r.ok) throw new Error(`event fails the contract: ${r.error}\n${JSON.stringify(e)}`);
}

/** Every event still in the log passes parseEvent, with seq strictly increasing. */
export function assertLogValid(inspector: InspectorApi): void {
  let last = 0;
  for (const e of inspector.events({ since: 0, limit: 10000 }).events) {
    assertValidEvent(e);
    if (e.seq <= last) throw new Error(`seq ${e.seq} after ${last}`);
    last = e.seq;
  }
}

/**
 * Resolves with the first event matching `predicate`, checking each event seen against the contract.
 * With `since`, events already logged after that seq count too (no race with what happened before the call).
 */
export function waitForEvent<E extends InspectorEvent = InspectorEvent>(
  inspector: InspectorApi,
  predicate: ((e: InspectorEvent) => e is E) | ((e: InspectorEvent) => boolean),
  timeoutMs = 3000,
  since?: number,
): Promise<E> {
  return new Promise<E>((resolve, reject) => {
    const seen: string[] = [];
    let done = false;
    const check = (e: InspectorEvent): void => {
      if (done) return;
      try {
        assertValidEvent(e);
      } catch (err) {
        finish(() => reject(err));
        return;
      }
      seen.push(`${e.seq} ${e.type} ${e.id}${e.type === 'socket/state' ? ` ${e.from}->${e.to}` : ''}`);
      if (predicate(e)) finish(() => resolve(e as E));
    };
    const sub = inspector.subscribe(check, since);
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new Error(`no matching event within ${timeoutMs} ms; saw:\n${seen.slice(-20).join('\n')}`)),
        ),
      timeoutMs,
    );
    function finish(settle: () => void): void {
      done = true;
      clearTimeout(timer);
      sub.unsubscribe();
      settle();
    }
    for (const e of sub.snapshot.replay) check(e);
  });
}

export const isState =
  (id: string, to: ConnectionState) =>
  (e: InspectorEvent): e is EventOf<'socket/state'> =>
    e.type === 'socket/state' && e.id === id && e.to === to;

export const isType =
  <T extends InspectorEvent['type']>(type: T, id?: string) =>
  (e: InspectorEvent): e is EventOf<T> =>
    e.type === type && (id === undefined || e.id === id);

/** Settles `promise` or fails after timeoutMs: for Node events a test awaits. */
export function within<T>(promise: Promise<T>, timeoutMs = 3000, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once the socket has read `bytes` bytes in total. */
export function readBytes(socket: net.Socket, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  return within(
    new Promise<Buffer>((resolve) => {
      const onData = (b: Buffer) => {
        parts.push(b);
        n += b.length;
        if (n >= bytes) {
          socket.off('data', onData);
          resolve(Buffer.concat(parts));
        }
      };
      socket.on('data', onData);
    }),
    3000,
    `reading ${bytes} bytes`,
  );
}

/** Things to close after each test, closed in reverse order. */
export class Teardown {
  private readonly fns: Array<() => unknown> = [];

  add<T extends { close(): unknown }>(thing: T): T {
    this.fns.push(() => thing.close());
    return thing;
  }

  defer(fn: () => unknown): void {
    this.fns.push(fn);
  }

  async run(): Promise<void> {
    for (const fn of this.fns.splice(0).reverse()) await fn();
  }
}

/** Destroys the socket and resolves once its handle is closed. */
export function destroySocket(s: net.Socket): Promise<void> {
  if (s.closed) return Promise.resolve();
  const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));
  s.destroy();
  return closed;
}

/** A plain client socket (not the inspector's), connected. */
export async function dial(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  const s = net.connect({ host, port, allowHalfOpen: true });
  s.on('error', () => {});
  await within(new Promise<void>((resolve) => s.once('connect', () => resolve())), 3000, `connect to ${port}`);
  return s;
}
