// The close codes of GET /api/stream: the server closes with them, the page reads them, the docs name them.

export interface StreamClose {
  readonly code: number;
  /** The close frame's reason (the server may add a detail in parentheses). */
  readonly reason: string;
  /**
   * How long a client waits before it tries again, at least; absent: its usual backoff. A refused client that retried
   * at once would only be refused again until another client leaves.
   */
  readonly retryAfterMs?: number;
}

export const STREAM_CLOSE = {
  /** The client fell too far behind (streamHardBytes): reconnect with ?since=<last seq seen>. */
  lagged: { code: 4008, reason: 'lagged' },
  /** maxStreamClients are connected already ("try again later"). */
  tooManyClients: { code: 1013, reason: 'too many stream clients', retryAfterMs: 30_000 },
  /** The server could not subscribe the client to its events. */
  internalError: { code: 1011, reason: 'internal error' },
} as const satisfies Record<string, StreamClose>;

/** `too many stream clients (max 32)`: the reason the server closes one client too many with. */
export const tooManyStreamClients = (max: number): string => `${STREAM_CLOSE.tooManyClients.reason} (max ${max})`;

/** The entry of a close code, or undefined for a code of the network or the browser (1006: the link dropped). */
export function streamCloseOf(code: number): StreamClose | undefined {
  return Object.values(STREAM_CLOSE).find((c) => c.code === code);
}
