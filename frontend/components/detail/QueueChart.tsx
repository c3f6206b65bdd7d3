// The selected socket's queues over the last two minutes: kernel Recv-Q/Send-Q and sockscope's queued bytes, then
// bytes in/out (a listener: its accept queue). Small hand-drawn SVG step lines fed by the store's events; the legend
// carries the current values as text, so the chart is never the only place a number is.
import { useEffect, useRef, useState } from 'react';
import type { ConnectionRow, ListenerRow } from '../../../shared';
import { bytes } from '../../format';
import { useNow } from '../../hooks/useNow';
import { pointOfRow, QUEUE_SERIES_LIMITS, QueueSeries, type QueueKey, type QueuePoint } from '../../state/queue-series';
import type { Store } from '../../state/store';

interface Line {
  key: QueueKey;
  label: string;
  title: string;
  color: string;
  dash?: string;
}
interface Plot {
  name: string;
  unit: 'bytes' | 'count';
  lines: readonly Line[];
}

const RECV: Line = {
  key: 'recvQ',
  label: 'Recv-Q',
  title: 'Kernel: received, not yet read',
  color: 'var(--dp-in)',
};
const SEND: Line = {
  key: 'sendQ',
  label: 'Send-Q',
  title: 'Kernel: sent, not yet acknowledged',
  color: 'var(--dp-out)',
};
const QUEUED: Line = {
  key: 'queued',
  label: 'queued',
  title: 'Written by sockscope, still buffered in Node (backpressure)',
  color: 'var(--dp-esc)',
  dash: '4 3',
};
const IN: Line = { key: 'bytesIn', label: 'in', title: 'Bytes read so far', color: 'var(--dp-in)' };
const OUT: Line = { key: 'bytesOut', label: 'out', title: 'Bytes written so far', color: 'var(--dp-out)' };

const CONNECTION_PLOTS: readonly Plot[] = [
  { name: 'queues', unit: 'bytes', lines: [RECV, SEND, QUEUED] },
  { name: 'bytes', unit: 'bytes', lines: [IN, OUT] },
];
const LISTENER_PLOTS: readonly Plot[] = [
  {
    name: 'accept queue',
    unit: 'count',
    lines: [{ ...RECV, label: 'accept queue', title: 'Kernel: connections waiting for accept()' }],
  },
];

// The time axis grows with the series (a pane opened a moment ago is not a sliver at the right edge), up to the ring's window.
const SPANS = [
  { us: 30_000_000, label: '30 s' },
  { us: 60_000_000, label: '1 min' },
  { us: QUEUE_SERIES_LIMITS.windowUs, label: `${QUEUE_SERIES_LIMITS.windowUs / 60_000_000} min` },
];
const spanOf = (elapsedUs: number) => SPANS.find((s) => s.us >= elapsedUs) ?? SPANS[SPANS.length - 1]!;

const W = 600;
const H = 48;

/** The smallest power of two at or above v: scales that read well in bytes (16 KiB, 4 MiB) and in counts. */
const scaleOf = (v: number, unit: Plot['unit']) => 2 ** Math.ceil(Math.log2(Math.max(v, unit === 'bytes' ? 1024 : 4)));

function scaleLabel(n: number, unit: Plot['unit']): string {
  if (unit === 'count') return String(n);
  if (n < 1024) return `${n} B`;
  if (n < 2 ** 20) return `${n / 1024} KiB`;
  if (n < 2 ** 30) return `${n / 2 ** 20} MiB`;
  return `${n / 2 ** 30} GiB`;
}

/** A step line through the points (a value holds until the next point); gaps where the value is null. */
function stepPath(points: readonly QueuePoint[], key: QueueKey, start: number, end: number, max: number): string {
  const x = (at: number) => (((Math.max(at, start) - start) / (end - start)) * W).toFixed(1);
  const y = (v: number) => (H - 1 - (v / max) * (H - 2)).toFixed(1);
  let d = '';
  let pen = false;
  for (const p of points) {
    const v = p[key];
    if (v === null) {
      if (pen) d += `H${x(p.at)}`;
      pen = false;
    } else if (!pen) {
      d += `M${x(p.at)} ${y(v)}`;
      pen = true;
    } else d += `H${x(p.at)}V${y(v)}`;
  }
  return pen ? `${d}H${W}` : d;
}

/** A series for the row's id, seeded from the row when the pane opens, fed by every batch of events. */
function useQueueSeries(store: Store, row: ConnectionRow | ListenerRow): QueueSeries | null {
  const current = useRef(row);
  current.current = row;
  const [state, setState] = useState<{ series: QueueSeries; version: number } | null>(null);
  useEffect(() => {
    const series = new QueueSeries(current.current.id, pointOfRow(current.current, Date.now() * 1000));
    setState({ series, version: 0 });
    return store.onEvents((events) => {
      if (series.apply(events)) setState({ series, version: series.version });
    });
  }, [store, row.id]);
  return state?.series.id === row.id ? state.series : null;
}

const swatch = (line: Line) => ({
  display: 'inline-block',
  width: 12,
  height: 0,
  marginRight: 4,
  verticalAlign: 'middle',
  borderTop: `2px ${line.dash ? 'dashed' : 'solid'} ${line.color}`,
});

function value(p: QueuePoint, line: Line, unit: Plot['unit']): string {
  const v = p[line.key];
  if (v === null) return '—';
  return unit === 'bytes' ? bytes(v) : String(v);
}

/**
 * The corner label: the plot's name (a listener's: its queue against the backlog, both now) and the height of the
 * chart, which is the peak rounded up to a power of two, not a value.
 */
function plotLabel(plot: Plot, max: number, latest: QueuePoint, backlog: number | null): string {
  const name =
    backlog === null ? plot.name : `${plot.name} ${latest.recvQ ?? '—'} of backlog ${latest.sendQ ?? backlog}`;
  return `${name} · scale 0–${scaleLabel(max, plot.unit)}`;
}

function PlotView(props: { plot: Plot; series: QueueSeries; start: number; end: number; backlog: number | null }) {
  const { plot, series, start, end } = props;
  const points = series.points();
  const peak = Math.max(...plot.lines.map((l) => series.max(l.key, start)));
  const max = scaleOf(peak, plot.unit);
  return (
    <div style={{ position: 'relative', borderBottom: '1px solid var(--dp-line)' }} data-plot={plot.name}>
      <span
        aria-hidden="true"
        style={{ position: 'absolute', top: 0, left: 2, fontSize: 10.5, color: 'var(--dp-muted)', lineHeight: 1 }}
      >
        {plotLabel(plot, max, series.latest, props.backlog)}
      </span>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        width="100%"
        height={H}
        style={{ display: 'block' }}
        aria-hidden="true"
      >
        <line
          x1={0}
          x2={W}
          y1={H / 2}
          y2={H / 2}
          stroke="var(--dp-line)"
          strokeDasharray="2 4"
          vectorEffect="non-scaling-stroke"
        />
        {plot.lines.map((l) => (
          <path
            key={l.key}
            d={stepPath(points, l.key, start, end, max)}
            fill="none"
            stroke={l.color}
            strokeWidth={1.5}
            strokeDasharray={l.dash}
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
    </div>
  );
}

export function QueueChart(props: { store: Store; row: ConnectionRow | ListenerRow }) {
  const series = useQueueSeries(props.store, props.row);
  const now = useNow();
  if (!series) return null;
  const latest = series.latest;
  const end = Math.max(now, latest.at);
  const span = spanOf(end - series.at(0).at);
  const start = end - span.us;
  const plots = 'kind' in props.row ? CONNECTION_PLOTS : LISTENER_PLOTS;
  return (
    <figure aria-label="Queues over time" className="queue-chart" style={{ margin: '0.2rem 0 0', minWidth: 0 }}>
      <div style={{ border: '1px solid var(--dp-line)', borderBottom: 0, borderRadius: 4, overflow: 'hidden' }}>
        {plots.map((p) => (
          <PlotView
            key={p.name}
            plot={p}
            series={series}
            start={start}
            end={end}
            backlog={'kind' in props.row ? null : props.row.backlog}
          />
        ))}
      </div>
      <figcaption style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: '0 0.9rem', fontSize: 12 }}>
        <dl className="dt-stats" style={{ margin: '0.15rem 0 0', gap: '0 0.9rem' }}>
          {plots.flatMap((p) =>
            p.lines.map((l) => (
              <div key={l.key} className="dt-stat" title={l.title} data-series={l.key}>
                <dt>
                  <span aria-hidden="true" style={swatch(l)} />
                  {l.label}
                </dt>
                <dd className="mono">{value(latest, l, p.unit)}</dd>
              </div>
            )),
          )}
          {!('kind' in props.row) && (
            <div className="dt-stat" title="Kernel: the listen() backlog">
              <dt>backlog</dt>
              <dd className="mono">{latest.sendQ ?? props.row.backlog}</dd>
            </div>
          )}
        </dl>
        <span className="muted" style={{ marginLeft: 'auto' }}>
          last {span.label}
          {latest.recvQ === null && latest.sendQ === null ? ' · kernel: no row' : ''}
        </span>
      </figcaption>
    </figure>
  );
}
