// Request errors the inspector raises: one table of code -> HTTP status, and the message builders used more than once.
// HTTP's own codes (auth, guard, parser, timeouts) have their rows in backend/http/http-errors.ts.
import type { ApiErrorCode, ExpectSeen, Fault } from '../../shared';

export interface ErrorExtra {
  fault?: Fault;
  limit?: string;
  field?: string;
  seen?: ExpectSeen;
}

/** A status, or one that depends on what the error carries. */
export type StatusRule = number | ((extra: ErrorExtra) => number);

/** Each code the inspector raises, once, with its status. A call site names the code; the status comes from here. */
export const REQUEST_ERRORS = {
  BAD_REQUEST: 400,
  BAD_PAYLOAD: 400,
  BAD_SCENARIO: 400,
  SELF_CONNECT: 403,
  TARGET_DENIED: 403,
  CONNECTION_NOT_FOUND: 404,
  LISTENER_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  LAB_NOT_FOUND: 404,
  UNKNOWN_ERRNO: 404,
  EXPECT_TIMEOUT: 408,
  NOT_WRITABLE: 409,
  NOT_CONNECTED: 409,
  INVALID_STATE: 409,
  /** EADDRINUSE -> 409, EACCES -> 403, anything else 409: the fault tells the story. */
  BIND_FAILED: (extra) => (extra.fault?.code === 'EACCES' ? 403 : 409),
  PAYLOAD_TOO_LARGE: 413,
  LIMIT_REACHED: 429,
  INTERNAL: 500,
  /** The inspector is gone (the server is shutting down): a retry elsewhere or later may work. */
  UNAVAILABLE: 503,
} as const satisfies Partial<Record<ApiErrorCode, StatusRule>>;

export type RequestErrorCode = keyof typeof REQUEST_ERRORS;

export const statusFor = (rule: StatusRule, extra: ErrorExtra): number =>
  typeof rule === 'function' ? rule(extra) : rule;

/** Made only by requestError (below) and backend/http's httpError, which read the status from their tables. */
export class InspectorError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly statusCode: number,
    message: string,
    readonly extra: ErrorExtra = {},
  ) {
    super(message);
    this.name = 'InspectorError';
  }
}

export const requestError = (code: RequestErrorCode, message: string, extra: ErrorExtra = {}): InspectorError =>
  new InspectorError(code, statusFor(REQUEST_ERRORS[code], extra), message, extra);

export const connectionNotFound = (id: string) =>
  requestError('CONNECTION_NOT_FOUND', `no connection ${JSON.stringify(id)}`);
export const listenerNotFound = (id: string) => requestError('LISTENER_NOT_FOUND', `no listener ${JSON.stringify(id)}`);
export const notWritable = (id: string, state: string) =>
  requestError('NOT_WRITABLE', `connection ${id} is ${state}: it cannot send`);
export const invalidState = (id: string, state: string, action: string) =>
  requestError('INVALID_STATE', `connection ${id} is ${state}: cannot ${action}`);
export const inspectorDisposed = () => requestError('UNAVAILABLE', 'the inspector has been disposed');
export const limitReached = (limit: string, value: number) =>
  requestError('LIMIT_REACHED', `limit ${limit} (${value}) reached`, { limit });
export const queueFull = (queued: number, bytes: number, max: number) =>
  requestError(
    'LIMIT_REACHED',
    `${queued} bytes are still queued in sockscope; ${bytes} more would pass the limit maxQueuedBytesPerConnection (${max}): wait for the peer to read`,
    { limit: 'maxQueuedBytesPerConnection' },
  );
/** Sends on every connection together would pass maxQueuedBytesTotal: one slow reader cannot starve the rest. */
export const queueTotalFull = (queued: number, bytes: number, max: number) =>
  requestError(
    'LIMIT_REACHED',
    `${queued} bytes are still queued in sockscope over all connections; ${bytes} more would pass the limit maxQueuedBytesTotal (${max}): wait for the peers to read, or close connections whose peers do not`,
    { limit: 'maxQueuedBytesTotal' },
  );
/** A send whose bytes (payload x repeat count) could never all be queued, however fast the peer reads. */
export const sendTooLarge = (bytes: number, max: number, field: string, limit = 'maxQueuedBytesPerConnection') =>
  requestError('PAYLOAD_TOO_LARGE', `this send makes ${bytes} bytes in all; the limit ${limit} is ${max}`, {
    limit,
    field,
  });
export const badPayload = (message: string, field = 'data') => requestError('BAD_PAYLOAD', message, { field });
export const payloadTooLarge = (bytes: number, max: number) =>
  requestError('PAYLOAD_TOO_LARGE', `payload is ${bytes} bytes; the limit maxSendBytes is ${max}`, {
    limit: 'maxSendBytes',
    field: 'data',
  });
export const badRequest = (message: string, field?: string) =>
  requestError('BAD_REQUEST', message, field ? { field } : {});
export const selfConnect = (port: number) =>
  requestError('SELF_CONNECT', `port ${port} is sockscope's own HTTP port; connecting to it is refused`);
export const bindFailed = (fault: Fault) => requestError('BIND_FAILED', `${fault.code}: ${fault.message}`, { fault });
/** The target address is one the target policy refuses (target-policy.ts); the message names the rule. */
export const targetDenied = (message: string) => requestError('TARGET_DENIED', message, { field: 'host' });
