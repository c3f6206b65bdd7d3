// Retry policy: defaults and the delay before the next connect attempt; how long a caller waits for a connect. Pure.
import { DEFAULT_CONNECT_TIMEOUT_MS, MAX_WAIT_MS, RETRY_DEFAULTS, type Retry } from '../../shared';

export interface RetryPolicy {
  attempts: number;
  backoff: 'fixed' | 'exponential';
  initialDelayMs: number;
  maxDelayMs: number;
  jitter: number;
}

export function resolveRetry(retry: Retry | undefined): RetryPolicy {
  return {
    attempts: retry?.attempts ?? 1,
    backoff: retry?.backoff ?? RETRY_DEFAULTS.backoff,
    initialDelayMs: retry?.initialDelayMs ?? RETRY_DEFAULTS.initialDelayMs,
    maxDelayMs: retry?.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs,
    jitter: Math.min(1, Math.max(0, retry?.jitter ?? RETRY_DEFAULTS.jitter)),
  };
}

/** Milliseconds to wait after failed attempt `attempt` (1-based). `random` returns [0, 1). */
export function delayFor(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base =
    policy.backoff === 'fixed'
      ? policy.initialDelayMs
      : Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  if (policy.jitter === 0) return Math.max(0, Math.round(base));
  return Math.max(0, Math.round(base * (1 + policy.jitter * (2 * random() - 1))));
}

/**
 * How long `?wait=1` and a scenario's connect step wait for a connect to open or fail: every attempt may use its whole
 * timeout, plus the longest backoff between attempts (jitter at its max), plus a second of slack for DNS. Capped at
 * MAX_WAIT_MS like every other wait; past it the connection is reported still connecting.
 */
export function connectWaitMs(body: { timeoutMs?: number; retry?: Retry }): number {
  const policy = resolveRetry(body.retry);
  const perAttempt = body.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  let total = policy.attempts * perAttempt + 1_000;
  for (let attempt = 1; attempt < policy.attempts && total < MAX_WAIT_MS; attempt++)
    total += delayFor(attempt, policy, () => 1);
  return Math.min(total, MAX_WAIT_MS);
}
