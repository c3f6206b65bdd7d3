import { describe, expect, it } from 'vitest';
import { nowMicros } from '../../../backend/inspector/clock';

describe('nowMicros', () => {
  it('is integer microseconds since the epoch, near Date.now()', () => {
    const t = nowMicros();
    expect(Number.isInteger(t)).toBe(true);
    expect(Math.abs(t / 1000 - Date.now())).toBeLessThan(1000);
  });

  it('never goes backwards', () => {
    let last = nowMicros();
    for (let i = 0; i < 10000; i++) {
      const t = nowMicros();
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });
});
