// HTTP's own failures (Node's parser, Fastify's checks, our caps): one status -> ApiErrorCode table, one raw writer.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiError, ApiErrorCode } from '../../shared';

type Body = ApiError['error'];

/** Codes for statuses that HTTP itself produces; the inspector's errors carry their own code. */
const CODE_FOR_STATUS: Readonly<Record<number, ApiErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'LIMIT_REACHED',
  431: 'HEADERS_TOO_LARGE',
};

export const codeForStatus = (status: number): ApiErrorCode => CODE_FOR_STATUS[status] ?? 'BAD_REQUEST';

export interface ParserErrorContext {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxHeaderBytes: number;
}

/** What Node's 'clientError' (raised before Fastify sees a request) means for the client. */
export function parserError(err: NodeJS.ErrnoException, ctx: ParserErrorContext): { status: number; body: Body } {
  const answer = (status: number, message: string) => ({ status, body: { code: codeForStatus(status), message } });
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return answer(431, `request headers are larger than ${ctx.maxHeaderBytes} bytes`);
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return answer(413, 'chunk extensions are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return answer(
        408,
        `request not received in time: headers within ${ctx.headersTimeoutMs} ms, the whole request within ${ctx.requestTimeoutMs} ms`,
      );
    default: {
      // llhttp's reason ("Invalid method encountered") names the fault without echoing the client's bytes.
      const reason = (err as { reason?: unknown }).reason;
      return answer(400, `malformed HTTP request${typeof reason === 'string' ? `: ${reason}` : ''}`);
    }
  }
}

/**
 * Writes an error answer straight to a socket that has no usable ServerResponse (Node's parser failed first), then
 * closes it, as Node's own default does; the headers match what Fastify's replies carry.
 */
export function writeRawError(socket: Socket, status: number, body: Body): void {
  const json = JSON.stringify({ error: body });
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(json)}\r\n` +
      'cache-control: no-store\r\n' +
      'x-content-type-options: nosniff\r\n' +
      'connection: close\r\n\r\n' +
      json,
  );
}
