// What a failed call of SockscopeClient throws: the API's own error (code, field, seen...) or why no answer came.
import type { ApiError, ApiErrorCode, ExpectSeen, Fault } from '../index';

/** The API's codes, plus NETWORK (no answer at all: wrong URL, server down) and BAD_REPLY (an answer off contract). */
export type SockscopeErrorCode = ApiErrorCode | 'NETWORK' | 'BAD_REPLY';

export class SockscopeError extends Error {
  /** HTTP status; 0 when no answer came. */
  readonly status: number;
  readonly code: SockscopeErrorCode;
  /** The offending field (`port`, `steps[2].send.on`), when the server named one. */
  readonly field: string | null;
  /** EXPECT_TIMEOUT: what the connection showed when the expectation gave up. */
  readonly seen: ExpectSeen | null;
  /** BIND_FAILED, NOT_CONNECTED...: the errno behind the refusal. */
  readonly fault: Fault | null;
  /** LIMIT_REACHED: which limit. */
  readonly limit: string | null;

  constructor(status: number, code: SockscopeErrorCode, message: string, detail: Partial<ApiError['error']> = {}) {
    super(message);
    this.name = 'SockscopeError';
    this.status = status;
    this.code = code;
    this.field = detail.field ?? null;
    this.seen = detail.seen ?? null;
    this.fault = detail.fault ?? null;
    this.limit = detail.limit ?? null;
  }
}
