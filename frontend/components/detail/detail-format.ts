// Times in the detail pane: offsets from the row's creation in ms with µs precision, the wall clock on hover.
import { clock } from '../../format';

export { plural } from '../../format';

/** `+12.345 ms` after `start` (both in µs); negative offsets (clock skew between events) keep their sign. */
export function sinceStart(at: number, start: number): string {
  const ms = (at - start) / 1000;
  return `${ms < 0 ? '−' : '+'}${Math.abs(ms).toFixed(3)} ms`;
}

/** Local date and time to the microsecond: `2025-11-22 14:03:07.512345`. */
export function wallClock(at: number): string {
  const d = new Date(Math.floor(at / 1000));
  const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return `${date} ${clock(at)}${String(Math.floor(at) % 1000).padStart(3, '0')}`;
}
