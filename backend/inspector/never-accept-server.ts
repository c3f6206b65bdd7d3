// Accept mode `never`: a listening socket nobody ever accept()s from, so the kernel's accept queue fills for real.
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { Worker } from 'node:worker_threads';
import { bindFailed } from './errors';
import { toFault } from './to-fault';
import type { ListenerSpec } from './tracked-listener';

// net.Server accepts every connection as soon as its event loop runs. Here a worker thread owns the listening socket
// and blocks its own event loop in Atomics.wait right after listen(): libuv never gets to call accept(). Closing
// wakes it; it closes the socket (the kernel resets the connections still queued) and exits.
const WORKER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { host, port, backlog, flag } = workerData;
const server = net.createServer();
server.once('error', (e) => {
  parentPort.postMessage({ error: { code: e.code, message: e.message, syscall: e.syscall, address: e.address, port: e.port } });
  process.exit(0);
});
server.listen({ host, port, backlog }, () => {
  parentPort.postMessage({ address: server.address() });
  Atomics.wait(new Int32Array(flag), 0, 0);
  server.close();
  process.exit(0);
});`;

type WorkerReply = { address: net.AddressInfo } | { error: Record<string, unknown> };

/** What TrackedListener needs from a listening server: net.Server, or this stand-in. */
export interface ListeningServer {
  address(): net.AddressInfo | string | null;
  close(): unknown;
  on(event: 'connection', fn: (socket: net.Socket) => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
  on(event: 'close', fn: () => void): unknown;
}

export class NeverAcceptServer extends EventEmitter implements ListeningServer {
  private closing = false;

  private constructor(
    worker: Worker,
    private readonly flag: Int32Array,
    private readonly bound: net.AddressInfo,
  ) {
    super();
    worker.on('exit', () => this.emit('close'));
    worker.on('error', (err) => this.emit('error', err));
  }

  /** Resolves once the worker's socket is listening; rejects with the Node-style error listen() gave (EADDRINUSE...). */
  static listen(opts: { host: string; port: number; backlog: number }): Promise<NeverAcceptServer> {
    const flag = new SharedArrayBuffer(4);
    // Like a net.Server, the worker keeps the process alive until the listener is closed.
    const worker = new Worker(WORKER, { eval: true, workerData: { ...opts, flag } });
    return new Promise((resolve, reject) => {
      const settle = (err: unknown, server?: NeverAcceptServer) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (server) return resolve(server);
        void worker.terminate();
        reject(err);
      };
      const onMessage = (reply: WorkerReply) => {
        if ('error' in reply) settle(Object.assign(new Error(String(reply.error['message'])), reply.error));
        else settle(null, new NeverAcceptServer(worker, new Int32Array(flag), reply.address));
      };
      const onError = (err: Error) => settle(err);
      const onExit = () => settle(new Error('the never-accept worker exited before listening'));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
  }

  address(): net.AddressInfo {
    return { ...this.bound };
  }

  /** Wakes the worker, which closes the socket and exits; 'close' follows. */
  close(): this {
    if (this.closing) return this;
    this.closing = true;
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
    return this;
  }
}

/** bindServer for accept mode `never`: resolves once listening, or rejects with BIND_FAILED (the worker is gone). */
export async function bindNeverAccept(spec: ListenerSpec, onBound: (server: ListeningServer) => void): Promise<void> {
  let server: NeverAcceptServer;
  try {
    server = await NeverAcceptServer.listen(spec);
  } catch (err) {
    throw bindFailed(toFault(err, 'listening', { syscall: 'listen', address: spec.host, port: spec.port }));
  }
  try {
    onBound(server);
  } catch (err) {
    server.close();
    throw err;
  }
}
