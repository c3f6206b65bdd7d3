// runScenario: a session, the steps in order (events at every start and end), later steps skipped after a failure,
// then the session closed unless `keep`: gracefully (FIN, nothing left behind) or with RSTs, as `cleanup` says.
import {
  DEFAULT_CLEANUP,
  stepLabelWith,
  type CleanupMode,
  type RunCleanup,
  type RunResult,
  type Scenario,
  type ScenarioEvent,
  type StepResult,
} from '../../shared';
import type { InspectorApi } from '../inspector/api';
import { nowMicros } from '../inspector/clock';
import { badRequest } from '../inspector/errors';
import { runRegistry } from './run-registry';
import { RunContext } from './run-context';
import { RunStopped, failureMessage } from './step-failure';
import { executeStep, stepLimitMs } from './steps';
import { bounded } from './waiting';

/**
 * A whole run's bound. Below the 300 s after which Node's fetch (undici) gives up waiting for response headers, so a
 * CLI run through POST /api/scenarios/run always gets its RunResult.
 */
export const MAX_RUN_MS = 240_000;

export interface RunOptions {
  /** The built-in lab this scenario is, for the events and the result. */
  lab?: string | null;
  /** Leave the session's sockets open after the run. */
  keep?: boolean;
  /** How the sockets end afterwards, overriding the file's `cleanup` (BAD_REQUEST together with keep). */
  cleanup?: CleanupMode;
  /** Aborting stops the run: the current step fails, the rest are skipped, the session is closed. */
  signal?: AbortSignal;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Throws LIMIT_REACHED when too many runs are going; otherwise resolves with the result, passed or failed. */
export async function runScenario(
  inspector: InspectorApi,
  scenario: Scenario,
  opts: RunOptions = {},
): Promise<RunResult> {
  if (opts.keep && opts.cleanup !== undefined)
    throw badRequest('cleanup says how the sockets end after the run, and keep leaves them open: give one', 'cleanup');
  const registry = runRegistry(inspector);
  const id = registry.begin();
  const stop = new AbortController();
  const timer = setTimeout(
    () => stop.abort(new RunStopped(`the run took longer than ${MAX_RUN_MS / 1000} s`)),
    MAX_RUN_MS,
  );
  const onAbort = () => stop.abort(new RunStopped('the client went away'));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  try {
    return await run(inspector, scenario, id, opts, stop.signal);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    registry.end();
  }
}

async function run(
  inspector: InspectorApi,
  scenario: Scenario,
  id: string,
  opts: RunOptions,
  signal: AbortSignal,
): Promise<RunResult> {
  const started = performance.now();
  const lab = opts.lab ?? null;
  const session = inspector.createSession({ name: scenario.name.slice(0, 120) }).id;
  const ctx = new RunContext(inspector, session, scenario.vars ?? {}, signal);
  const emit = (e: ScenarioEvent) => inspector.emitScenario(e);
  const runEvent = (status: 'running' | 'passed' | 'failed', failedStep: number | null) =>
    emit({
      type: 'scenario/run',
      at: nowMicros(),
      id,
      scenario: scenario.name,
      lab,
      session,
      status,
      steps: scenario.steps.length,
      failedStep,
      elapsedMs: round(performance.now() - started),
    });

  runEvent('running', null);
  const steps: StepResult[] = [];
  let failedStep: number | null = null;
  for (const [index, step] of scenario.steps.entries()) {
    // The values known when the step starts (a skipped step: when it is skipped); the result keeps this label.
    const label = stepLabelWith(step, ctx.vars());
    if (failedStep !== null) {
      steps.push({ index, label, status: 'skipped', elapsedMs: 0, message: null });
      continue;
    }
    emit({
      type: 'scenario/step',
      at: nowMicros(),
      id,
      step: index,
      label,
      status: 'running',
      elapsedMs: 0,
      message: null,
    });
    const t0 = performance.now();
    let result: StepResult;
    try {
      const message = await bounded(executeStep(ctx, step), stepLimitMs(step), signal);
      result = { index, label, status: 'ok', elapsedMs: round(performance.now() - t0), message };
    } catch (e) {
      result = { index, label, status: 'failed', elapsedMs: round(performance.now() - t0), message: failureMessage(e) };
      failedStep = index;
    }
    steps.push(result);
    emit({ type: 'scenario/step', at: nowMicros(), id, step: index, ...stepEvent(result) });
  }

  const vars = ctx.vars();
  const cleanup = opts.keep ? null : await closeSession(inspector, session, opts.cleanup ?? scenario.cleanup);
  const status = failedStep === null ? 'passed' : 'failed';
  runEvent(status, failedStep);
  return {
    id,
    scenario: scenario.name,
    lab,
    session,
    status,
    elapsedMs: round(performance.now() - started),
    steps,
    failedStep,
    vars,
    ...(cleanup ? { cleanup } : {}),
  };
}

function stepEvent(r: StepResult): {
  label: string;
  status: 'ok' | 'failed';
  elapsedMs: number;
  message: string | null;
} {
  return { label: r.label, status: r.status === 'ok' ? 'ok' : 'failed', elapsedMs: r.elapsedMs, message: r.message };
}

// inspector.closeSession bounds itself (it waits for the sockets at most a few seconds).
async function closeSession(
  inspector: InspectorApi,
  session: string,
  mode: CleanupMode = DEFAULT_CLEANUP,
): Promise<RunCleanup> {
  try {
    const { released } = await inspector.closeSession(session, mode);
    return { mode, released };
  } catch {
    // The inspector is being disposed: it closes every socket itself.
    return { mode, released: [] };
  }
}
