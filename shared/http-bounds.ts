// sockscope's own HTTP server: request deadlines, keep-alive and idle timeouts, body and message sizes. GET /api/info
// shows them (`http`) beside the limits; the server reads them from here and nowhere else.
import { Type, type Static } from 'typebox';
import type { Limits } from './limits';
import { MAX_WAIT_MS } from './waits';

const ms = (description: string) => Type.Integer({ minimum: 1, description });
const size = (description: string) => Type.Integer({ minimum: 1, description });

export const HttpBoundsSchema = Type.Object({
  headersTimeoutMs: ms("From a request's first byte to the end of its headers; a request still sending them gets 408"),
  requestTimeoutMs: ms(
    "From a request's first byte to the end of its body; later, 408. The answer is not timed: a long poll is unaffected",
  ),
  timeoutSweepMs: ms('How often the server looks for requests past those deadlines: a cut comes at most this late'),
  keepAliveTimeoutMs: ms('An idle keep-alive connection is closed after this'),
  idleTimeoutMs: ms('A connection with no traffic either way is closed after this; it outlasts the longest wait'),
  bodyLimitBytes: size(
    'Largest body of a route that carries no payload (listeners, connections, framing, expect, sessions...); a larger one is 413 before it is read',
  ),
  payloadBodyLimitBytes: size(
    'Largest body of a route that carries a payload (send, responders, scenarios, labs): 3 characters per byte of maxSendBytes (hex with separators) plus bodyLimitBytes for the JSON around it; larger: 413',
  ),
  streamMessageBytes: size('Largest message a /api/stream client may send (it has nothing to say); larger closes it'),
});
export type HttpBounds = Static<typeof HttpBoundsSchema>;

/** What buildApp may be given: the deadlines and timeouts (tests shorten them). */
export type HttpTimeouts = Pick<
  HttpBounds,
  'headersTimeoutMs' | 'requestTimeoutMs' | 'timeoutSweepMs' | 'keepAliveTimeoutMs' | 'idleTimeoutMs'
>;

/**
 * A local client sends its headers in one write and its largest body (a few MiB) in milliseconds, so a request still
 * arriving after these is a stalled or hostile peer (slowloris, a body trickled a byte a second), not a slow network.
 * 10 s for headers and 30 s for the body still leave room for a paused debugger or someone typing into `nc`. Node checks
 * the deadlines only every sweep (30 s by default, so a 10 s deadline held a socket up to 40 s); the sweep walks only
 * the requests under way, at most maxHttpConnections, so once a second costs nothing. The idle timeout outlasts the
 * longest `?wait=1` or expect (MAX_WAIT_MS). The largest body without a payload is a few KiB.
 */
export const DEFAULT_HTTP_BOUNDS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  timeoutSweepMs: 1_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: MAX_WAIT_MS + 30_000,
  bodyLimitBytes: 64 << 10,
  streamMessageBytes: 64 << 10,
} as const satisfies Omit<HttpBounds, 'payloadBodyLimitBytes'>;

/** The bounds in force: the defaults, the timeouts given, and the payload body limit that follows maxSendBytes. */
export function httpBounds(limits: Pick<Limits, 'maxSendBytes'>, timeouts: Partial<HttpTimeouts> = {}): HttpBounds {
  const bounds = { ...DEFAULT_HTTP_BOUNDS, ...timeouts };
  return { ...bounds, payloadBodyLimitBytes: 3 * limits.maxSendBytes + bounds.bodyLimitBytes };
}
