// How a step fails: StepFailure carries the sentence the user reads; anything else thrown is turned into one.
import { InterpolationError } from '../../shared';
import { InspectorError } from '../inspector/errors';

/** The step ran and what it found was not what the file expected. */
export class StepFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** The whole run was stopped (its time bound, or the client went away): the current step fails with this. */
export class RunStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunStopped';
  }
}

export function failureMessage(e: unknown): string {
  if (e instanceof StepFailure || e instanceof InterpolationError) return e.message;
  if (e instanceof RunStopped) return `stopped: ${e.message}`;
  if (e instanceof InspectorError) return `${e.message} (${e.code})`;
  return `internal error: ${e instanceof Error ? e.message : String(e)}`;
}

/** The errno code an inspector error carries (BIND_FAILED, NOT_CONNECTED...), if any. */
export const faultCodeOf = (e: unknown): string | null =>
  e instanceof InspectorError ? (e.extra.fault?.code ?? null) : null;
