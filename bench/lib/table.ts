// The printed table: figure, baseline, ratio, target and whether it holds, one row per benchmark.
import type { BenchResult } from './result';

const UNITS: Record<string, (v: number) => string> = {
  'bytes/s': (v) => `${(v / 2 ** 20).toFixed(0)} MiB/s`,
  'conn/s': (v) => `${v.toFixed(0)} conn/s`,
  'bytes/conn': (v) => `${(v / 1024).toFixed(1)} KiB/conn`,
  'events/s': (v) => `${(v / 1000).toFixed(0)}k ev/s`,
  ms: (v) => `${v.toFixed(1)} ms`,
  bytes: (v) => `${(v / 2 ** 20).toFixed(0)} MiB`,
};

export const formatValue = (unit: string, v: number): string => (UNITS[unit] ?? ((x: number) => x.toFixed(2)))(v);

export function renderTable(results: BenchResult[]): string {
  const head = ['#', 'workload', 'sockscope (median [min-max])', 'baseline (median)', 'ratio', 'target', 'holds'];
  const rows = results.map((r) => [
    r.id,
    r.title,
    `${formatValue(r.unit, r.subject.median)} [${formatValue(r.unit, r.subject.min)}-${formatValue(r.unit, r.subject.max)}]`,
    formatValue(r.unit, r.baseline.median),
    r.ratio.toFixed(2),
    r.target,
    r.holds ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const notes = results.flatMap((r) => r.notes.map((n) => `${r.id}: ${n}`));
  return [line(head), rule, ...rows.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}
