// Run ids (r-N) and the bound on concurrent runs, per inspector: a run holds sockets and timers for minutes.
import type { InspectorApi } from '../inspector/api';
import { requestError } from '../inspector/errors';

export const MAX_CONCURRENT_RUNS = 4;

class RunRegistry {
  private next = 1;
  private active = 0;

  /** A fresh run id; LIMIT_REACHED (429) while MAX_CONCURRENT_RUNS runs are going. */
  begin(): string {
    if (this.active >= MAX_CONCURRENT_RUNS)
      throw requestError(
        'LIMIT_REACHED',
        `${this.active} scenario runs are going already (at most ${MAX_CONCURRENT_RUNS}); wait for one to end`,
        { limit: 'scenarioRuns' },
      );
    this.active++;
    return `r-${this.next++}`;
  }

  end(): void {
    this.active--;
  }
}

const registries = new WeakMap<InspectorApi, RunRegistry>();

export function runRegistry(inspector: InspectorApi): RunRegistry {
  let r = registries.get(inspector);
  if (!r) registries.set(inspector, (r = new RunRegistry()));
  return r;
}
