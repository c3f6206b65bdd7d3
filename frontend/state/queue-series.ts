// One socket's queues and byte counts over time, from its events: a bounded ring of points, events closer together
// than one step merged into one point (the latest values win). Pure: no DOM, no clock; times are the events' `at`.
import type { ConnectionRow, InspectorEvent, ListenerRow } from '../../shared';

export interface QueuePoint {
  /** Microseconds since the Unix epoch (the server's clock, as in events). */
  readonly at: number;
  /** Kernel Recv-Q (listener: accept queue); null while the kernel has no row for the socket. */
  readonly recvQ: number | null;
  /** Kernel Send-Q (listener: backlog). */
  readonly sendQ: number | null;
  /** Written by sockscope, still buffered in Node. */
  readonly queued: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

export interface QueueSeriesLimits {
  /** Points kept at most. */
  readonly points: number;
  /** Points older than this before the newest are dropped. */
  readonly windowUs: number;
  /** Events within this of the last point update it instead of adding one. */
  readonly stepUs: number;
}

/** Two minutes at up to five points a second. */
export const QUEUE_SERIES_LIMITS: QueueSeriesLimits = { points: 600, windowUs: 120_000_000, stepUs: 200_000 };

export type QueueKey = 'recvQ' | 'sendQ' | 'queued' | 'bytesIn' | 'bytesOut';

/** The first point: what the row says now (the chart starts when the pane opens). */
export function pointOfRow(row: ConnectionRow | ListenerRow, at: number): QueuePoint {
  const c = 'kind' in row ? row : null;
  return {
    at,
    recvQ: row.recvQ,
    sendQ: row.sendQ,
    queued: c?.queuedBytes ?? 0,
    bytesIn: c?.bytesIn ?? 0,
    bytesOut: c?.bytesOut ?? 0,
  };
}

/** The point after `e`, or null when `e` says nothing about these values. */
function next(p: QueuePoint, e: InspectorEvent): QueuePoint | null {
  switch (e.type) {
    case 'socket/kernel':
    case 'listener/kernel':
      return { ...p, at: e.at, recvQ: e.recvQ, sendQ: e.sendQ };
    case 'socket/queue':
      return { ...p, at: e.at, queued: e.queuedBytes };
    case 'socket/data': {
      const end = e.offset + e.length;
      if (e.direction === 'in') return end > p.bytesIn ? { ...p, at: e.at, bytesIn: end } : null;
      return end > p.bytesOut ? { ...p, at: e.at, bytesOut: end } : null;
    }
    case 'socket/closed':
      return {
        ...p,
        at: e.at,
        queued: e.connection.queuedBytes,
        bytesIn: Math.max(p.bytesIn, e.connection.bytesIn),
        bytesOut: Math.max(p.bytesOut, e.connection.bytesOut),
      };
    default:
      return null;
  }
}

export class QueueSeries {
  private readonly ring: QueuePoint[] = [];
  private head = 0;
  private count = 0;
  /** Bumped on every change: a cheap identity for memoised drawing. */
  version = 0;

  constructor(
    readonly id: string,
    first: QueuePoint,
    private readonly limits: QueueSeriesLimits = QUEUE_SERIES_LIMITS,
  ) {
    this.push(first);
  }

  get size(): number {
    return this.count;
  }

  /** Point `i`, oldest first. */
  at(i: number): QueuePoint {
    return this.ring[(this.head + i) % this.limits.points]!;
  }

  get latest(): QueuePoint {
    return this.at(this.count - 1);
  }

  points(): QueuePoint[] {
    return Array.from({ length: this.count }, (_, i) => this.at(i));
  }

  /** The highest value of `key` among the points at or after `from` (and the one before, still in effect then). */
  max(key: QueueKey, from = -Infinity): number {
    let m = 0;
    for (let i = this.count - 1; i >= 0; i--) {
      const p = this.at(i);
      m = Math.max(m, p[key] ?? 0);
      if (p.at < from) break;
    }
    return m;
  }

  /** Folds this socket's events in (others are ignored); true when a point was added or changed. */
  apply(events: readonly InspectorEvent[]): boolean {
    let changed = false;
    for (const e of events) {
      if (e.id !== this.id) continue;
      const last = this.latest;
      const p = next(last, e);
      if (!p) continue;
      // A late event (older than the last point) updates the values from now on without moving time back.
      const at = Math.max(p.at, last.at);
      // The first point (the row when the pane opened) stays as it was; later ones absorb events within one step.
      if (this.count > 1 && at - last.at < this.limits.stepUs) this.replaceLast({ ...p, at: last.at });
      else this.push({ ...p, at });
      changed = true;
    }
    if (changed) this.version++;
    return changed;
  }

  private replaceLast(p: QueuePoint): void {
    this.ring[(this.head + this.count - 1) % this.limits.points] = p;
  }

  private push(p: QueuePoint): void {
    const cap = this.limits.points;
    if (this.count === cap) {
      this.ring[this.head] = p;
      this.head = (this.head + 1) % cap;
    } else {
      this.ring[(this.head + this.count) % cap] = p;
      this.count++;
    }
    // Keep the window, but always the point in effect at its start (it draws the line from the left edge).
    while (this.count > 2 && p.at - this.at(1).at >= this.limits.windowUs) {
      this.head = (this.head + 1) % cap;
      this.count--;
    }
  }
}
