// The page's lab runs, one per lab (the latest): started here or seen in the event stream (CLI, another tab).
// Lives as long as the Store, so a run keeps being followed while another tab is shown.
import type { InspectorEvent, RunResult } from '../../shared';
import { applyRunEvent, isActive, newRun, runFromEvent, withError, withResult, type LabRun } from './lab-run';
import type { Store } from './store';

type ScenarioEvent = Extract<InspectorEvent, { type: 'scenario/run' | 'scenario/step' }>;
const isScenarioEvent = (e: InspectorEvent): e is ScenarioEvent =>
  e.type === 'scenario/run' || e.type === 'scenario/step';

/** Folds scenario events into the runs map; returns the same map when nothing changed. */
export function foldRunEvents(
  runs: ReadonlyMap<string, LabRun>,
  events: readonly ScenarioEvent[],
  labelsOf: (lab: string) => readonly string[],
): ReadonlyMap<string, LabRun> {
  let next: Map<string, LabRun> | null = null;
  const put = (lab: string, run: LabRun) => (next ??= new Map(runs)).set(lab, run);
  for (const e of events) {
    const current = next ?? runs;
    if (e.type === 'scenario/run' && e.lab !== null) {
      const mine = current.get(e.lab);
      if (mine && (mine.status === 'starting' || mine.id === e.id)) {
        const moved = applyRunEvent(mine, e);
        if (moved !== mine) put(e.lab, moved);
      } else if (!isActive(mine)) {
        const seen = runFromEvent(e, labelsOf(e.lab));
        if (seen) put(e.lab, seen);
      }
      continue;
    }
    for (const [lab, run] of current) {
      if (run.id !== e.id) continue;
      const moved = applyRunEvent(run, e);
      if (moved !== run) put(lab, moved);
    }
  }
  return next ?? runs;
}

export class LabRuns {
  private runs: ReadonlyMap<string, LabRun> = new Map();
  private readonly labels = new Map<string, readonly string[]>();
  private readonly listeners = new Set<() => void>();

  constructor(store: Store) {
    store.onEvents((events) => {
      const scenario = events.filter(isScenarioEvent);
      if (scenario.length > 0) this.set(foldRunEvents(this.runs, scenario, (lab) => this.labels.get(lab) ?? []));
    });
  }

  getRuns = (): ReadonlyMap<string, LabRun> => this.runs;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** The step labels of a lab's file, for runs of it that start later. */
  setLabels(lab: string, labels: readonly string[]): void {
    this.labels.set(lab, labels);
  }

  /** Starts a run through `request` (the REST call); the events move it along, the result settles it. */
  start(lab: string, request: () => Promise<RunResult>): void {
    if (isActive(this.runs.get(lab))) return;
    this.update(lab, () => newRun(lab, this.labels.get(lab) ?? []));
    request().then(
      (result) => this.update(lab, (run) => withResult(run ?? newRun(lab, []), result)),
      (err: unknown) => this.update(lab, (run) => withError(run ?? newRun(lab, []), (err as Error).message)),
    );
  }

  private update(lab: string, fn: (run: LabRun | undefined) => LabRun): void {
    this.set(new Map(this.runs).set(lab, fn(this.runs.get(lab))));
  }

  private set(runs: ReadonlyMap<string, LabRun>): void {
    if (runs === this.runs) return;
    this.runs = runs;
    for (const fn of this.listeners) fn();
  }
}

const perStore = new WeakMap<Store, LabRuns>();

/** The LabRuns of this store, created (and subscribed) on first use. */
export function labRunsOf(store: Store): LabRuns {
  let runs = perStore.get(store);
  if (!runs) perStore.set(store, (runs = new LabRuns(store)));
  return runs;
}
