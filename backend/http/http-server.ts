// The http.Server under Fastify: request deadlines, the connection cap and parser errors in our envelope. A serverFactory
// is the one hook Fastify also uses for its secondary servers (--host localhost binds 127.0.0.1 and ::1).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionCap } from './connection-cap';
import { parserError, writeRawError } from './http-errors';

export interface HttpTimeouts {
  /** From a request's first byte to the end of its headers. */
  headersMs: number;
  /** From a request's first byte to the end of its body. The answer is not included: a long poll is unaffected. */
  requestMs: number;
  /** How often Node looks for requests past those deadlines (Node's connectionsCheckingInterval). */
  sweepMs: number;
}

/**
 * A local client sends its headers in one write and its largest body (a few MiB) in milliseconds, so a request still
 * arriving after these is a stalled or hostile peer (slowloris, a body trickled a byte a second), not a slow network.
 * 10 s for headers and 30 s for the body still leave room for a paused debugger or someone typing into `nc`. Node checks
 * the deadlines only every sweepMs (30 s by default, so a 10 s deadline held a socket up to 40 s); the sweep walks only
 * the requests under way, at most maxHttpConnections, so once a second costs nothing.
 */
export const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, sweepMs: 1_000 };

export interface ServerSettings {
  timeouts: HttpTimeouts;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** A socket with no traffic either way is closed after this; it must outlast the longest long poll. */
  idleMs: number;
  cap: ConnectionCap;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function serverFactory(settings: ServerSettings): (handler: Handler) => http.Server {
  const { timeouts, cap } = settings;
  return (handler) => {
    const server = http.createServer(
      {
        headersTimeout: timeouts.headersMs,
        requestTimeout: timeouts.requestMs,
        connectionsCheckingInterval: timeouts.sweepMs,
        keepAliveTimeout: settings.keepAliveMs,
      },
      handler,
    );
    server.setTimeout(settings.idleMs);
    server.on('connection', (socket: Socket) => cap.admit(socket));
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(err, socket, timeouts));
    return server;
  };
}

/** With a 'clientError' listener, answering and closing is ours (Node's default would write its own text body). */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket, timeouts: HttpTimeouts): void {
  // A response already under way (Node's internal _httpMessage, checked by its own default too) must not get a
  // second status line in the middle of its body; a reset peer reads nothing.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
    const { status, body } = parserError(err, {
      headersTimeoutMs: timeouts.headersMs,
      requestTimeoutMs: timeouts.requestMs,
      maxHeaderBytes: http.maxHeaderSize,
    });
    writeRawError(socket, status, body);
  }
  socket.destroy();
}
