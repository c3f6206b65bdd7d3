// Counted nouns: one wording for the UI, the API's messages, the CLI and scenario labels.
import { describe, expect, it } from 'vitest';
import { noun, plural } from '../../shared';

describe('plural', () => {
  it('the noun agrees with the number, grouped in thousands; irregular plurals given', () => {
    expect(plural(0, 'row')).toBe('0 rows');
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(2, 'row')).toBe('2 rows');
    expect(plural(10_000, 'row')).toBe('10,000 rows');
    expect(plural(1, 'reply', 'replies')).toBe('1 reply');
    expect(plural(3, 'reply', 'replies')).toBe('3 replies');
    expect(noun(1, 'socket')).toBe('socket');
    expect(noun(5, 'socket')).toBe('sockets');
  });

  it("a scenario's count not filled in yet is shown as written", () => {
    expect(plural('${vars.n}', 'byte')).toBe('${vars.n} bytes');
    expect(plural('1', 'message')).toBe('1 message');
  });
});
