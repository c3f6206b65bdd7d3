// What the CLI prints: one line per step, then the summary line. Pure.
import { GRACEFUL_CLOSE_MS, plural, type LabInfo, type RunResult, type StepResult } from '../../shared';

const STATUS: Record<StepResult['status'], string> = { ok: 'ok', failed: 'FAILED', skipped: 'skipped' };
/** Column where the elapsed time starts (a longer line keeps three spaces before it). */
const TIME_COLUMN = 62;

export const formatMs = (ms: number): string => `${Math.round(ms)} ms`;
/** `340 ms`, `1.0 s`. */
export const formatSeconds = (ms: number): string => (ms < 1000 ? formatMs(ms) : `${(ms / 1000).toFixed(1)} s`);

/**
 * `ok       1/12 listen srv (127.0.0.1:41233)     2 ms`, `FAILED   4/12 expect ...: why   1001 ms`,
 * `skipped  5/12 reset cli`. The counter is padded to the width of the total, so the labels line up.
 */
export function stepLine(step: StepResult, total: number): string {
  const counter = `${String(step.index + 1).padStart(String(total).length)}/${total}`;
  const text = `${STATUS[step.status].padEnd(8)}${counter} ${labelWithMessage(step)}`;
  if (step.status === 'skipped') return text;
  const gap = text.length < TIME_COLUMN ? ' '.repeat(TIME_COLUMN - text.length) : '   ';
  return `${text}${gap}${formatMs(step.elapsedMs)}`;
}

/**
 * A failure after a colon; an ok step's note in brackets, joining the label's own: `listen srv (echo, 127.0.0.1:41233)`,
 * not `listen srv (echo) (127.0.0.1:41233)`.
 */
function labelWithMessage(step: StepResult): string {
  const { label, message } = step;
  if (message === null || message === '' || step.status === 'skipped') return label;
  if (step.status === 'failed') return `${label}: ${message}`;
  return label.endsWith(')') ? `${label.slice(0, -1)}, ${message})` : `${label} (${message})`;
}

/** `hello: passed (6 steps, 0.3 s)` or `hello: FAILED at step 4 (1.0 s)`. */
export function summaryLine(result: RunResult): string {
  const took = formatSeconds(result.elapsedMs);
  if (result.status === 'passed') {
    return `${result.scenario}: passed (${plural(result.steps.length, 'step')}, ${took})`;
  }
  return `${result.scenario}: FAILED at step ${(result.failedStep ?? 0) + 1} (${took})`;
}

export function runLines(result: RunResult): string[] {
  const lines = result.steps.map((s) => stepLine(s, result.steps.length));
  const released = result.cleanup?.released ?? [];
  if (released.length > 0) lines.push(releasedLine(released));
  lines.push(summaryLine(result));
  return lines;
}

/** A graceful cleanup that had to give up waiting on a peer says so: that peer never closed its side. */
export function releasedLine(ids: readonly string[]): string {
  return `cleanup: released ${ids.join(', ')} without waiting: no FIN from the peer ${GRACEFUL_CLOSE_MS} ms after ours`;
}

export function labLines(labs: readonly LabInfo[]): string[] {
  const width = Math.max(0, ...labs.map((l) => l.name.length)) + 2;
  return labs.map((l) => `${l.name.padEnd(width)}${l.title}`);
}
