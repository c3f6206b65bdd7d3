// Waiting inside a run: for something the event log will show, for a while, or for a step to end in time.
import type { InspectorEvent } from '../../shared';
import type { InspectorApi } from '../inspector/api';
import { RunStopped, StepFailure } from './step-failure';

const stopReason = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new RunStopped(String(signal.reason));

/**
 * Resolves with probe()'s first defined answer: now, or after a `relevant` event, or undefined after `ms` (or on
 * abort). Events are only the trigger; probe() reads the rows, so nothing is missed between the check and the
 * subscription. `relevant` keeps a flood of data events from re-running the probe for each chunk.
 */
export function waitFor<T>(
  inspector: InspectorApi,
  probe: () => T | undefined,
  ms: number,
  signal: AbortSignal,
  relevant: (e: InspectorEvent) => boolean = () => true,
): Promise<T | undefined> {
  const now = probe();
  if (now !== undefined || signal.aborted) return Promise.resolve(now);
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: T | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sub.unsubscribe();
      resolve(value);
    };
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(probe()), ms);
    signal.addEventListener('abort', onAbort);
    const sub = inspector.subscribe((e) => {
      if (!relevant(e)) return;
      const value = probe();
      if (value !== undefined) finish(value);
    });
    // An event between the first probe and the subscription was missed: look once more.
    const again = probe();
    if (again !== undefined) finish(again);
  });
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(stopReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The step's own promise, unless it takes longer than `ms` or the run is stopped first. */
export function bounded<T>(work: Promise<T>, ms: number, signal: AbortSignal): Promise<T> {
  work.catch(() => {}); // it may still reject after the race is lost
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure(`the step did not end within ${ms / 1000} s`)), ms);
    onAbort = () => reject(stopReason(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, limit]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
}
