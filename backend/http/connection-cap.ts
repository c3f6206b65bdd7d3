// At most maxHttpConnections open TCP connections are served; a request on one more gets 429 LIMIT_REACHED and a close.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { requestError } from '../inspector/errors';

/**
 * Counted at accept ('connection'), so idle keep-alive sockets and half-sent requests count too. Why not
 * server.maxConnections: Node destroys the extra socket at accept, and the client sees a bare reset with no reason.
 * Here the extra connection is read like any other, so its request can be answered 429 in our envelope (the
 * headers deadline bounds how long that takes) and closed. Those answered-then-closed sockets are capped as well,
 * at as many again: past both, a socket is destroyed at accept, since nothing bounded could answer it.
 */
export class ConnectionCap {
  private open = 0;
  private overflow = 0;
  private readonly refused = new WeakSet<Socket>();

  constructor(readonly max: number) {}

  admit(socket: Socket): void {
    if (this.open < this.max) {
      this.open++;
      socket.once('close', () => this.open--);
    } else if (this.overflow < this.max) {
      this.overflow++;
      this.refused.add(socket);
      socket.once('close', () => this.overflow--);
    } else {
      socket.destroy();
    }
  }

  /** Sockets served right now (those answered 429 not included). */
  get served(): number {
    return this.open;
  }

  isRefused(socket: Socket | undefined): boolean {
    return socket !== undefined && this.refused.has(socket);
  }
}

/** Register after @fastify/websocket: its onRequest hook marks upgrades, so a refused upgrade is closed after the 429. */
export function installConnectionCap(app: FastifyInstance, cap: ConnectionCap): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!cap.isRefused(request.raw.socket)) return;
    reply.header('connection', 'close');
    throw requestError(
      'LIMIT_REACHED',
      `too many open HTTP connections (maxHttpConnections ${cap.max}): close idle ones and retry`,
      { limit: 'maxHttpConnections' },
    );
  });
}
