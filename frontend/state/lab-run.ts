// A lab run as the Lab view shows it: its steps (known from the scenario file before anything runs), moved along by
// scenario/run and scenario/step events, and settled by the RunResult. Pure.
import { checkScenarioText, stepLabel, type InspectorEvent, type RunResult } from '../../shared';
import { plural } from '../format';

export type StepStatus = 'pending' | 'running' | 'ok' | 'failed' | 'skipped';

export interface RunStep {
  index: number;
  label: string;
  status: StepStatus;
  elapsedMs: number | null;
  message: string | null;
}

export interface LabRun {
  lab: string;
  /** null until the run's first event (or its result) names it. */
  id: string | null;
  status: 'starting' | 'running' | 'passed' | 'failed' | 'error';
  steps: RunStep[];
  elapsedMs: number | null;
  failedStep: number | null;
  session: string | null;
  /** Why the run could not even start (network, limit reached): nothing ran. */
  error: string | null;
}

type ScenarioRunEvent = Extract<InspectorEvent, { type: 'scenario/run' }>;
type ScenarioStepEvent = Extract<InspectorEvent, { type: 'scenario/step' }>;

/** The step labels of a scenario file, as the runner will print them; [] when the text does not parse. */
export function stepLabels(source: string): string[] {
  const checked = checkScenarioText(source);
  return checked.ok ? checked.scenario.steps.map(stepLabel) : [];
}

const pending = (label: string, index: number): RunStep => ({
  index,
  label,
  status: 'pending',
  elapsedMs: null,
  message: null,
});

/** A run about to be asked for (or first seen in an event): every step pending. */
export function newRun(lab: string, labels: readonly string[], id: string | null = null): LabRun {
  const status = id === null ? 'starting' : 'running';
  return { lab, id, status, steps: labels.map(pending), elapsedMs: null, failedStep: null, session: null, error: null };
}

export const isActive = (run: LabRun | undefined): boolean => run?.status === 'starting' || run?.status === 'running';

/**
 * Applies one scenario event. A run still `starting` adopts the first running run of its lab; after that only its own
 * id counts. Returns the same object when the event is not about this run.
 */
export function applyRunEvent(run: LabRun, e: ScenarioRunEvent | ScenarioStepEvent): LabRun {
  if (e.type === 'scenario/run') {
    if (run.id === null && run.status === 'starting' && e.lab === run.lab && e.status === 'running')
      return { ...run, id: e.id, status: 'running', session: e.session };
    if (e.id !== run.id) return run;
    if (e.status === 'running') return run;
    return { ...run, status: e.status, elapsedMs: e.elapsedMs, failedStep: e.failedStep, session: e.session };
  }
  if (e.id !== run.id || run.status !== 'running') return run;
  const steps = run.steps.slice();
  while (steps.length <= e.step) steps.push(pending(`step ${steps.length + 1}`, steps.length));
  const elapsedMs = e.status === 'running' ? null : e.elapsedMs;
  steps[e.step] = { index: e.step, label: e.label, status: e.status, elapsedMs, message: e.message };
  return { ...run, steps };
}

/** The result is the last word: every step's status, timing and message as the runner reports them. */
export function withResult(run: LabRun, result: RunResult): LabRun {
  return {
    ...run,
    id: result.id,
    status: result.status,
    steps: result.steps.map((s) => ({ ...s })),
    elapsedMs: result.elapsedMs,
    failedStep: result.failedStep,
    session: result.session,
    error: null,
  };
}

export const withError = (run: LabRun, message: string): LabRun => ({ ...run, status: 'error', error: message });

/** A run someone else started (CLI, another tab) seen in the stream: followed like our own. */
export function runFromEvent(e: ScenarioRunEvent, labels: readonly string[]): LabRun | null {
  if (e.lab === null || e.status !== 'running') return null;
  return { ...newRun(e.lab, labels, e.id), session: e.session };
}

/** "3 of 11 steps", "passed in 1.2 s", "failed at step 4": one line for the run's header. */
export function runSummary(run: LabRun): string {
  const done = run.steps.filter((s) => s.status === 'ok').length;
  const secs = run.elapsedMs === null ? '' : ` in ${(run.elapsedMs / 1000).toFixed(1)} s`;
  switch (run.status) {
    case 'starting':
      return 'starting…';
    case 'running':
      return `running: ${done} of ${plural(run.steps.length, 'step')} ok`;
    case 'passed':
      return `passed: ${run.steps.length} of ${plural(run.steps.length, 'step')} ok${secs}`;
    case 'failed':
      return `FAILED at step ${(run.failedStep ?? 0) + 1} of ${run.steps.length}${secs}`;
    case 'error':
      return `could not run: ${run.error ?? 'unknown error'}`;
  }
}
