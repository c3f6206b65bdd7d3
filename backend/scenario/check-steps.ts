// expect and assert steps: they wait for or check what a socket shows; a failure names expected and actual.
import {
  ASSERT_FIELDS,
  FrameDecoder,
  decodeBase64,
  describeComparison,
  interpolateNumber,
  MAX_PAGE_LIMIT,
  type Comparison,
  type ExpectBody,
  type FramingRule,
  type StepParams,
} from '../../shared';
import { InspectorError } from '../inspector/errors';
import type { RunContext } from './run-context';
import { StepFailure } from './step-failure';
import { framingOf } from '../framing/framing-api';

export async function expectStep(ctx: RunContext, raw: StepParams<'expect'>): Promise<string | null> {
  const { on, bytes, timeoutMs, ...rest } = ctx.interpolate(raw);
  const target = await ctx.target(on);
  const vars = ctx.vars();
  const body: ExpectBody = { ...rest };
  if (bytes !== undefined) body.bytes = interpolateNumber(bytes, vars);
  if (timeoutMs !== undefined) body.timeoutMs = interpolateNumber(timeoutMs, vars);
  try {
    await ctx.inspector.expect(target.id, body);
    return null;
  } catch (e) {
    // The inspector's sentence already says what was expected, where, for how long, and what arrived.
    if (e instanceof InspectorError && e.code === 'EXPECT_TIMEOUT') throw new StepFailure(e.message);
    throw e;
  }
}

export async function assertStep(ctx: RunContext, raw: StepParams<'assert'>): Promise<string | null> {
  const p = ctx.interpolate(raw);
  const target = await ctx.target(p.on);
  // 0: a read that starts now; an assert right after a change must not see a read begun before it.
  await ctx.inspector.refreshKernel(0);
  const row: Record<string, unknown> =
    target.kind === 'listener' ? ctx.inspector.getListener(target.id) : ctx.inspector.getConnection(target.id);
  const problems: string[] = [];
  const seen: string[] = [];
  for (const field of ASSERT_FIELDS) {
    const expected = (p as Record<string, unknown>)[field] as Comparison | undefined;
    if (expected === undefined) continue;
    const actual = field === 'fault' ? ((row.fault as { code: string } | null)?.code ?? null) : (row[field] ?? null);
    check(field, actual, expected, problems, seen);
  }
  if (p.messages) {
    const count = await countMessages(ctx, target.id, p.messages.direction ?? 'in', p.messages.framing);
    check('messages', count, p.messages.count, problems, seen);
  }
  if (problems.length > 0) throw new StepFailure(`${target.id}: ${problems.join('; ')}`);
  return seen.length > 0 ? seen.join(', ') : null;
}

/** A failure names field, expected and actual; a pass notes the actual value where the label does not say it. */
function check(field: string, actual: unknown, expected: Comparison, problems: string[], seen: string[]): void {
  if (!holds(actual, expected))
    problems.push(`${field}: expected ${describeComparison(expected)}, got ${show(actual)}`);
  else if (expected !== null && typeof expected === 'object') seen.push(`${field} ${show(actual)}`);
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Interpolated numbers arrive as strings ("41233"): equal to the number they spell. */
function same(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  return (
    typeof actual === 'number' && typeof expected === 'string' && expected.trim() !== '' && Number(expected) === actual
  );
}

function holds(actual: unknown, c: Comparison): boolean {
  if (c === null || typeof c !== 'object') return same(actual, c);
  if ('in' in c) return c.in.some((v) => same(actual, v));
  const n = typeof actual === 'number' ? actual : NaN;
  return Object.entries(c).every(([op, v]) => {
    const limit = Number(v);
    switch (op) {
      case 'eq':
        return same(actual, v);
      case 'ne':
        return !same(actual, v);
      case 'gt':
        return n > limit;
      case 'gte':
        return n >= limit;
      case 'lt':
        return n < limit;
      case 'lte':
        return n <= limit;
      default:
        return false;
    }
  });
}

/** Complete messages in one direction: under the connection's own rule, or under the given one (decoded here). */
async function countMessages(
  ctx: RunContext,
  id: string,
  direction: 'in' | 'out',
  framing: FramingRule | undefined,
): Promise<number> {
  if (!framing) {
    const reply = framingOf(ctx.inspector).messages(id, { direction, limit: 1 });
    if (reply.framing === null)
      throw new StepFailure(`${id} has no framing rule: give messages.framing, or set one with a framing step`);
    return reply.lastIndex;
  }
  const decoder = new FrameDecoder(framing);
  let count = 0;
  let since = 0;
  for (;;) {
    const page = ctx.inspector.chunks(id, { direction, since, limit: MAX_PAGE_LIMIT });
    for (const chunk of page.chunks) {
      const bytes = decodeBase64(chunk.data);
      if (bytes.ok) count += decoder.push(bytes.bytes, chunk.index).length;
      since = chunk.index;
    }
    if (!page.more || page.chunks.length === 0) return count;
  }
}
