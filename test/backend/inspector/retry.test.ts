import { describe, expect, it } from 'vitest';
import { delayFor, resolveRetry } from '../../../backend/inspector/retry';

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
