// The http.Server under Fastify: request deadlines, the connection cap and parser errors in our envelope. A serverFactory
// is the one hook Fastify also uses for its secondary servers (--host localhost binds 127.0.0.1 and ::1).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpTimeouts } from '../../shared';
import type { ConnectionCap } from './connection-cap';
import { parserError, writeRawError } from './http-errors';

export interface ServerSettings {
  /** Deadlines and timeouts (shared/http-bounds.ts has the defaults and why). */
  timeouts: HttpTimeouts;
  cap: ConnectionCap;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function serverFactory(settings: ServerSettings): (handler: Handler) => http.Server {
  const { timeouts, cap } = settings;
  return (handler) => {
    const server = http.createServer(
      {
        headersTimeout: timeouts.headersTimeoutMs,
        requestTimeout: timeouts.requestTimeoutMs,
        // Node's sweep for requests past those deadlines.
        connectionsCheckingInterval: timeouts.timeoutSweepMs,
        keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      },
      handler,
    );
    server.setTimeout(timeouts.idleTimeoutMs);
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
      headersTimeoutMs: timeouts.headersTimeoutMs,
      requestTimeoutMs: timeouts.requestTimeoutMs,
      maxHeaderBytes: http.maxHeaderSize,
    });
    writeRawError(socket, status, body);
  }
  socket.destroy();
}
