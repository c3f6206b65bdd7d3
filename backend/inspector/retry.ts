// Retry policy: defaults and the delay before the next connect attempt. Pure.
import type { Retry } from '../../shared';

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
    backoff: retry?.backoff ?? 'exponential',
    initialDelayMs: retry?.initialDelayMs ?? 200,
    maxDelayMs: retry?.maxDelayMs ?? 5000,
    jitter: Math.min(1, Math.max(0, retry?.jitter ?? 0)),
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
