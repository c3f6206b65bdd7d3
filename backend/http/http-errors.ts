// HTTP's own request errors (auth, guard, Node's parser, Fastify's checks, our caps): their rows of the code -> status
// table (the inspector's rows are in backend/inspector/errors.ts), the errors made from them, and one raw writer.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiError, ApiErrorCode } from '../../shared';
import { InspectorError, REQUEST_ERRORS, statusFor, type ErrorExtra, type RequestErrorCode } from '../inspector/errors';

type Body = ApiError['error'];

/** Codes only HTTP raises, each with its status. */
const HTTP_ERRORS = {
  UNAUTHORIZED: 401,
  FORBIDDEN_HOST: 403,
  FORBIDDEN_ORIGIN: 403,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UPGRADE_REQUIRED: 426,
  HEADERS_TOO_LARGE: 431,
} as const satisfies Partial<Record<Exclude<ApiErrorCode, RequestErrorCode>, number>>; // no code in both tables

type HttpErrorCode = keyof typeof HTTP_ERRORS;
const isHttpCode = (code: ApiErrorCode): code is HttpErrorCode => code in HTTP_ERRORS;

/** The status of any code: from this table or the inspector's (a code in neither does not compile). */
export const statusOf = (code: ApiErrorCode, extra: ErrorExtra = {}): number =>
  isHttpCode(code) ? HTTP_ERRORS[code] : statusFor(REQUEST_ERRORS[code], extra);

/** A request error raised by backend/http; the status comes from the table. */
export const httpError = (code: ApiErrorCode, message: string, extra: ErrorExtra = {}): InspectorError =>
  new InspectorError(code, statusOf(code, extra), message, extra);

/**
 * What a failure HTTP itself reports (Node's parser, Fastify) is called, by its status: the generic code of that status.
 * A status none of these has stays as Fastify gave it, called BAD_REQUEST.
 */
const GENERIC_CODES: readonly ApiErrorCode[] = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'LIMIT_REACHED',
  'HEADERS_TOO_LARGE',
];
const CODE_FOR_STATUS = new Map(GENERIC_CODES.map((code) => [statusOf(code), code]));

export const codeForStatus = (status: number): ApiErrorCode => CODE_FOR_STATUS.get(status) ?? 'BAD_REQUEST';

export interface ParserErrorContext {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxHeaderBytes: number;
}

/** What Node's 'clientError' (raised before Fastify sees a request) means for the client. */
export function parserError(err: NodeJS.ErrnoException, ctx: ParserErrorContext): { status: number; body: Body } {
  const answer = (code: ApiErrorCode, message: string) => ({ status: statusOf(code), body: { code, message } });
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return answer('HEADERS_TOO_LARGE', `request headers are larger than ${ctx.maxHeaderBytes} bytes`);
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return answer('PAYLOAD_TOO_LARGE', 'chunk extensions are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return answer(
        'REQUEST_TIMEOUT',
        `request not received in time: headers within ${ctx.headersTimeoutMs} ms, the whole request within ${ctx.requestTimeoutMs} ms`,
      );
    default: {
      // llhttp's reason ("Invalid method encountered") names the fault without echoing the client's bytes.
      const reason = (err as { reason?: unknown }).reason;
      return answer('BAD_REQUEST', `malformed HTTP request${typeof reason === 'string' ? `: ${reason}` : ''}`);
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
