// Display formats shared by every pane: counted nouns, endpoints, byte counts, ages, clock times, errno labels.
import { addressPort, type Endpoint, type Fault } from '../shared';

// Counted nouns are shared/words.ts: the API's messages and scenario labels word them the same way.
export { noun, plural } from '../shared';

const WILDCARDS = new Set(['0.0.0.0', '::', '::0', '']);

/** `127.0.0.1:80`, `[::1]:80`, `*:80` for a wildcard address, `—` when unknown; port 0 shows as `*`. */
export function endpoint(e: Endpoint | null): string {
  if (!e) return '—';
  return addressPort(WILDCARDS.has(e.address) ? '*' : e.address, e.port === 0 ? '*' : e.port);
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** Exact below 10 000 bytes (`5 B`, `9999 B`), then binary units with one decimal (`12.3 KiB`). */
export function bytes(n: number): string {
  if (n < 10_000) return `${n} B`;
  let v = n / 1024;
  let unit = 0;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${v < 100 ? v.toFixed(1) : Math.round(v)} ${UNITS[unit]}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A measured span, precise when short: `840µs`, `12ms`, `1.52s`, then as `age` (`3m04s`). */
export function duration(micros: number): string {
  const us = Math.max(0, micros);
  if (us < 1000) return `${Math.round(us)}µs`;
  if (us < 1_000_000) return `${Math.round(us / 1000)}ms`;
  if (us < 10_000_000) return `${(us / 1_000_000).toFixed(2)}s`;
  return age(0, us);
}

/** Time since creation, coarser as it grows: `0s`, `12s`, `3m04s`, `2h05m`, `3d04h`. */
export function age(createdAtMicros: number, nowMicros: number): string {
  const s = Math.floor(Math.max(0, nowMicros - createdAtMicros) / 1_000_000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${pad(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${pad(m % 60)}m`;
  return `${Math.floor(h / 24)}d${pad(h % 24)}h`;
}

/** Local wall-clock time with milliseconds: `14:03:07.512`. */
export function clock(atMicros: number): string {
  const d = new Date(Math.floor(atMicros / 1000));
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `ECONNREFUSED 111`; just the code when it is not an errno (EAI_AGAIN, ERR_*). */
export function errnoLabel(fault: Pick<Fault, 'code' | 'errno'>): string {
  return fault.errno === null ? fault.code : `${fault.code} ${fault.errno}`;
}

/** One paragraph for a tooltip: title, syscall, cause and fix (or Node's message when the table has no entry). */
export function faultExplanation(fault: Fault): string {
  const where = fault.syscall ? ` in ${fault.syscall}()` : '';
  if (!fault.explanation) return `${errnoLabel(fault)}${where}: ${fault.message}`;
  const { title, cause, fix } = fault.explanation;
  return `${title} (${errnoLabel(fault)}${where}). ${cause}\nFix: ${fix}`;
}
