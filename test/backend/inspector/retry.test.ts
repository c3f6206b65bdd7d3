import { describe, expect, it } from 'vitest';
import { connectWaitMs, delayFor, resolveRetry } from '../../../backend/inspector/retry';
import { MAX_WAIT_MS } from '../../../shared';

describe('retry policy', () => {
  it('fills the documented defaults', () => {
    expect(resolveRetry(undefined)).toEqual({
      attempts: 1,
      backoff: 'exponential',
      initialDelayMs: 200,
      maxDelayMs: 5000,
      jitter: 0,
    });
    expect(resolveRetry({ attempts: 4, backoff: 'fixed' }).backoff).toBe('fixed');
  });

  it('fixed waits the initial delay every time', () => {
    const p = resolveRetry({ attempts: 5, backoff: 'fixed', initialDelayMs: 300 });
    expect([1, 2, 3, 4].map((a) => delayFor(a, p))).toEqual([300, 300, 300, 300]);
  });

  it('exponential doubles from the initial delay and stops at maxDelayMs', () => {
    const p = resolveRetry({ attempts: 10, initialDelayMs: 200, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5].map((a) => delayFor(a, p))).toEqual([200, 400, 800, 1000, 1000]);
  });

  it('jitter spreads the delay by +-jitter, rounded, never negative', () => {
    const p = resolveRetry({ attempts: 3, backoff: 'fixed', initialDelayMs: 1000, jitter: 0.2 });
    expect(delayFor(1, p, () => 0)).toBe(800);
    expect(delayFor(1, p, () => 0.5)).toBe(1000);
    expect(delayFor(1, p, () => 0.999999)).toBe(1200);
    const full = resolveRetry({ attempts: 3, backoff: 'fixed', initialDelayMs: 7, jitter: 1 });
    expect(delayFor(1, full, () => 0)).toBe(0);
    expect(delayFor(1, full, () => 0.3)).toBe(Math.round(7 * 0.6));
  });
});

describe('connect wait (?wait=1, a scenario connect step)', () => {
  it('covers every attempt, the backoff between them (jitter at its max) and slack, capped', () => {
    expect(connectWaitMs({})).toBe(10_000 + 1_000);
    expect(
      connectWaitMs({
        timeoutMs: 100,
        retry: { attempts: 3, backoff: 'fixed', initialDelayMs: 50 },
      }),
    ).toBe(3 * 100 + 1_000 + 2 * 50);
    const jittered = { attempts: 3, backoff: 'exponential' as const, initialDelayMs: 100, jitter: 0.5 };
    expect(connectWaitMs({ timeoutMs: 100, retry: jittered })).toBe(300 + 1_000 + 150 + 300);
    expect(connectWaitMs({ timeoutMs: 600_000, retry: { attempts: 100 } })).toBe(MAX_WAIT_MS);
  });
});
