// Request errors the inspector throws; backend/http turns each into an ApiError with its status.
import type { ApiErrorCode, ExpectSeen, Fault } from '../../shared';

export class InspectorError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly statusCode: number,
    message: string,
    readonly extra: { fault?: Fault; limit?: string; field?: string; seen?: ExpectSeen } = {},
  ) {
    super(message);
    this.name = 'InspectorError';
  }
}

export const connectionNotFound = (id: string) =>
  new InspectorError('CONNECTION_NOT_FOUND', 404, `no connection ${JSON.stringify(id)}`);
export const listenerNotFound = (id: string) =>
  new InspectorError('LISTENER_NOT_FOUND', 404, `no listener ${JSON.stringify(id)}`);
export const notWritable = (id: string, state: string) =>
  new InspectorError('NOT_WRITABLE', 409, `connection ${id} is ${state}: it cannot send`);
export const invalidState = (id: string, state: string, action: string) =>
  new InspectorError('INVALID_STATE', 409, `connection ${id} is ${state}: cannot ${action}`);
export const limitReached = (limit: string, value: number) =>
  new InspectorError('LIMIT_REACHED', 429, `limit ${limit} (${value}) reached`, { limit });
export const queueFull = (queued: number, bytes: number, max: number) =>
  new InspectorError(
    'LIMIT_REACHED',
    429,
    `${queued} bytes are still queued in sockscope; ${bytes} more would pass the limit maxQueuedBytesPerConnection (${max}): wait for the peer to read`,
    { limit: 'maxQueuedBytesPerConnection' },
  );
/** Sends on every connection together would pass maxQueuedBytesTotal: one slow reader cannot starve the rest. */
export const queueTotalFull = (queued: number, bytes: number, max: number) =>
  new InspectorError(
    'LIMIT_REACHED',
    429,
    `${queued} bytes are still queued in sockscope over all connections; ${bytes} more would pass the limit maxQueuedBytesTotal (${max}): wait for the peers to read, or close connections whose peers do not`,
    { limit: 'maxQueuedBytesTotal' },
  );
/** A send whose bytes (payload x repeat count) could never all be queued, however fast the peer reads. */
export const sendTooLarge = (bytes: number, max: number, field: string, limit = 'maxQueuedBytesPerConnection') =>
  new InspectorError('PAYLOAD_TOO_LARGE', 413, `this send makes ${bytes} bytes in all; the limit ${limit} is ${max}`, {
    limit,
    field,
  });
export const badPayload = (message: string, field = 'data') =>
  new InspectorError('BAD_PAYLOAD', 400, message, { field });
export const payloadTooLarge = (bytes: number, max: number) =>
  new InspectorError('PAYLOAD_TOO_LARGE', 413, `payload is ${bytes} bytes; the limit maxSendBytes is ${max}`, {
    limit: 'maxSendBytes',
    field: 'data',
  });
export const badRequest = (message: string, field?: string) =>
  new InspectorError('BAD_REQUEST', 400, message, field ? { field } : {});
export const selfConnect = (port: number) =>
  new InspectorError('SELF_CONNECT', 403, `port ${port} is sockscope's own HTTP port; connecting to it is refused`);
/** EADDRINUSE -> 409, EACCES -> 403, anything else 409: the fault tells the story. */
export const bindFailed = (fault: Fault) =>
  new InspectorError('BIND_FAILED', fault.code === 'EACCES' ? 403 : 409, `${fault.code}: ${fault.message}`, { fault });
/** The target address is one the target policy refuses (target-policy.ts); the message names the rule. */
export const targetDenied = (message: string) => new InspectorError('TARGET_DENIED', 403, message, { field: 'host' });
