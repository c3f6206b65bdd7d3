// Display formats every pane shares.
import { describe, expect, it } from 'vitest';
import { age, bytes, clock, duration, endpoint, errnoLabel, faultExplanation } from '../../frontend/format';
import { refused, T0 } from './table-factories';

describe('format', () => {
  it('endpoint: IPv6 in brackets, * for a wildcard address or port 0, — when unknown', () => {
    expect(endpoint({ address: '127.0.0.1', port: 80 })).toBe('127.0.0.1:80');
    expect(endpoint({ address: '::1', port: 80 })).toBe('[::1]:80');
    expect(endpoint({ address: '::ffff:127.0.0.1', port: 8 })).toBe('[::ffff:127.0.0.1]:8');
    expect(endpoint({ address: '0.0.0.0', port: 80 })).toBe('*:80');
    expect(endpoint({ address: '::', port: 80 })).toBe('*:80');
    expect(endpoint({ address: '10.0.0.1', port: 0 })).toBe('10.0.0.1:*');
    expect(endpoint(null)).toBe('—');
  });

  it('bytes: exact below 10 000, then binary units', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(9999)).toBe('9999 B');
    expect(bytes(10_240)).toBe('10.0 KiB');
    expect(bytes(150 * 1024)).toBe('150 KiB');
    expect(bytes(10 * 1024 * 1024)).toBe('10.0 MiB');
    expect(bytes(3 * 1024 ** 4)).toBe('3.0 TiB');
  });

  it('age and duration', () => {
    const s = 1_000_000;
    expect(age(T0, T0 - s)).toBe('0s'); // clocks may disagree a little: never negative
    expect(age(T0, T0 + 59 * s)).toBe('59s');
    expect(age(T0, T0 + 184 * s)).toBe('3m04s');
    expect(age(T0, T0 + (2 * 3600 + 5 * 60) * s)).toBe('2h05m');
    expect(age(T0, T0 + (3 * 86400 + 4 * 3600) * s)).toBe('3d04h');
    expect(duration(840)).toBe('840µs');
    expect(duration(12_400)).toBe('12ms');
    expect(duration(1_520_000)).toBe('1.52s');
    expect(duration(184 * s)).toBe('3m04s');
  });

  it('clock: local HH:MM:SS.mmm', () => {
    const d = new Date(2024, 0, 2, 3, 4, 5, 67);
    expect(clock(d.getTime() * 1000 + 999)).toBe('03:04:05.067');
  });

  it('errno label and explanation', () => {
    expect(errnoLabel(refused())).toBe('ECONNREFUSED 111');
    expect(errnoLabel({ code: 'EAI_AGAIN', errno: null })).toBe('EAI_AGAIN');
    expect(faultExplanation(refused())).toBe(
      'Connection refused (ECONNREFUSED 111 in connect()). Nothing listens there.\nFix: Start the server first.',
    );
    expect(faultExplanation({ ...refused(), explanation: null, syscall: null })).toBe(
      'ECONNREFUSED 111: connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
