// How long one call or step may wait for something to happen: one bound for the schemas, the code and HTTP's timeouts.

/**
 * No call or step waits longer: an expect's timeoutMs, a scenario's wait and connect steps, `POST /api/connections?wait=1`.
 * A connect that has not settled by then is reported still connecting. The HTTP idle timeout is set above it.
 */
export const MAX_WAIT_MS = 60_000;
