// Typed fetch of the REST API; every reply is checked, and failures throw ApiRequestError with the API's code.
import { Compile } from 'typebox/compile';
import { ApiErrorSchema, HealthReplySchema, SocketsSchema, type ApiErrorCode, type Sockets } from '../../shared';
import type { Static } from 'typebox';

/** The API's own codes, plus NETWORK (no reply at all) and BAD_REPLY (a reply that breaks the contract). */
export type RequestErrorCode = ApiErrorCode | 'NETWORK' | 'BAD_REPLY';

export class ApiRequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    readonly status: number | null,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

const socketsReply = Compile(SocketsSchema);
const healthReply = Compile(HealthReplySchema);
const apiError = Compile(ApiErrorSchema);

interface Checker<T> {
  Check(x: unknown): x is T;
}

async function request<T>(method: string, path: string, reply: Checker<T>, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiRequestError('NETWORK', null, `${method} ${path}: ${(e as Error).message}`);
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    if (apiError.Check(json)) throw new ApiRequestError(json.error.code, res.status, json.error.message, json);
    throw new ApiRequestError(
      'BAD_REPLY',
      res.status,
      `${method} ${path}: HTTP ${res.status} without an ApiError body`,
      json,
    );
  }
  if (!reply.Check(json))
    throw new ApiRequestError('BAD_REPLY', res.status, `${method} ${path}: reply does not match its schema`, json);
  return json;
}

export const getSockets = (): Promise<Sockets> => request('GET', '/api/sockets', socketsReply);
export const getHealth = (): Promise<Static<typeof HealthReplySchema>> => request('GET', '/api/health', healthReply);
