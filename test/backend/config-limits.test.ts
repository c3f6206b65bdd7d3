// Start-up limits take their bounds from LimitsSchema (one home): the capture head and the framing pending caps parse
// like every other limit, 0 where the schema allows it, and past the schema's maximum is refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, LimitsSchema, MAX_HEAD_BYTES, type Limits } from '../../shared';
import { parseConfig } from '../../backend/config';

const limitsOf = (argv: string[], env: Record<string, string> = {}): Partial<Limits> => {
  const r = parseConfig(argv, env);
  if (r.kind !== 'run') throw new Error(`expected a config, got ${JSON.stringify(r)}`);
  return r.config.limits;
};
const errorOf = (argv: string[]): string => {
  const r = parseConfig(argv, {});
  if (r.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.message;
};

describe('limits for the capture head and unfinished frames', () => {
  it('parse by name, kebab-case name and environment, with k/m/g suffixes; 0 is allowed', () => {
    expect(
      limitsOf(['--limit', 'framing-pending-per-connection-bytes=256k', '--limit', 'captureHeadBytes=0'], {
        SOCKSCOPE_LIMITS: 'framingPendingTotalBytes=4m',
      }),
    ).toEqual({ framingPendingPerConnectionBytes: 256 * 1024, captureHeadBytes: 0, framingPendingTotalBytes: 4 << 20 });
    expect(limitsOf(['--limit', 'framingPendingTotalBytes=0'])).toEqual({ framingPendingTotalBytes: 0 });
  });

  it("refuse what the schema refuses, saying the schema's range", () => {
    expect(errorOf(['--limit', 'captureHeadBytes=2g'])).toBe(
      `--limit: captureHeadBytes must be an integer 0..${MAX_HEAD_BYTES} (suffix k, m or g allowed), got "2g"`,
    );
    expect(errorOf(['--limit', 'framingPendingTotalBytes=-1'])).toMatch(
      /framingPendingTotalBytes must be an integer >= 0/,
    );
    expect(errorOf(['--limit', 'eventLogEvents=0'])).toMatch(/eventLogEvents must be an integer >= 1/);
  });

  it('every limit with minimum 0 in the schema takes 0, every other refuses it', () => {
    for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
      const zero = parseConfig(['--limit', `${name}=0`], {});
      const minimum = (LimitsSchema.properties[name] as { minimum?: number }).minimum;
      expect(zero.kind, name).toBe(minimum === 0 ? 'run' : 'error');
    }
  });

  it('--help lists each limit with its default, names aligned', () => {
    const r = parseConfig(['--help'], {});
    if (r.kind !== 'help') throw new Error('no help');
    const lines = r.text.split('\n').filter((l) => /^ {4}[a-zA-Z]+ +\d+$/.test(l));
    expect(lines.map((l) => l.trim().split(/ +/)[0])).toEqual(Object.keys(DEFAULT_LIMITS));
    expect(new Set(lines.map((l) => l.search(/\d+$/))).size).toBe(1);
    expect(r.text).toMatch(
      new RegExp(`framingPendingPerConnectionBytes +${DEFAULT_LIMITS.framingPendingPerConnectionBytes}\n`),
    );
  });
});
