// One step of a run: dispatch on its kind; the ok message says what it found, a throw says why it failed.
import { interpolateNumber, stepEntry, type Step, type StepKind } from '../../shared';
import type { RunContext } from './run-context';
import { assertStep, expectStep } from './check-steps';
import { connectStep, listenStep, sendStep } from './open-steps';
import { sleep } from './waiting';
import { framingOf } from '../framing/framing-api';

/** Longest a step of each kind may take: its own longest wait (expect, connect, send schedule, wait) plus slack. */
const STEP_LIMIT_MS: Record<StepKind, number> = {
  listen: 15_000,
  connect: 130_000,
  send: 75_000,
  expect: 70_000,
  shutdown: 15_000,
  close: 15_000,
  reset: 15_000,
  pause: 15_000,
  resume: 15_000,
  framing: 15_000,
  wait: 65_000,
  assert: 20_000,
};

export const stepLimitMs = (step: Step): number => STEP_LIMIT_MS[stepEntry(step).kind];

export async function executeStep(ctx: RunContext, step: Step): Promise<string | null> {
  const e = stepEntry(step);
  switch (e.kind) {
    case 'listen':
      return listenStep(ctx, e.params);
    case 'connect':
      return connectStep(ctx, e.params);
    case 'send':
      return sendStep(ctx, e.params);
    case 'expect':
      return expectStep(ctx, e.params);
    case 'assert':
      return assertStep(ctx, e.params);
    case 'wait':
      await sleep(interpolateNumber(ctx.interpolate(e.params), ctx.vars()), ctx.signal);
      return null;
    case 'framing': {
      const { on, rule } = ctx.interpolate(e.params);
      const t = await ctx.target(on);
      if (t.kind === 'listener') framingOf(ctx.inspector).setListenerFraming(t.id, rule);
      else framingOf(ctx.inspector).setConnectionFraming(t.id, rule);
      return null;
    }
    case 'close': {
      const t = await ctx.target(ctx.interpolate(e.params).on);
      if (t.kind === 'listener') await ctx.inspector.closeListener(t.id, { connections: 'keep' });
      else ctx.inspector.close(t.id);
      return null;
    }
    case 'shutdown':
    case 'reset':
    case 'pause':
    case 'resume': {
      const t = await ctx.target(ctx.interpolate(e.params).on);
      ctx.inspector[e.kind](t.id);
      return null;
    }
  }
}
