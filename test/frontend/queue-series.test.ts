// The per-socket queue series: seeded from the row, fed by kernel/queue/data events, merged per step, bounded.
import { describe, expect, it } from 'vitest';
import type { InspectorEvent, ListenerRow } from '../../shared';
import { pointOfRow, QueueSeries, type QueueSeriesLimits } from '../../frontend/state/queue-series';
import { checked, conn, T0 } from './detail-factories';

const S = 1_000_000;
let seq = 100;
const kernel = (at: number, recvQ: number | null, sendQ: number | null, id = 'c-1') =>
  checked({ type: 'socket/kernel', seq: ++seq, at, id, tcpState: recvQ === null ? null : 'ESTABLISHED', recvQ, sendQ });
const queued = (at: number, queuedBytes: number, id = 'c-1') =>
  checked({ type: 'socket/queue', seq: ++seq, at, id, queuedBytes });
const data = (at: number, direction: 'in' | 'out', offset: number, length: number): InspectorEvent =>
  checked({
    type: 'socket/data',
    seq: ++seq,
    at,
    id: 'c-1',
    direction,
    index: 1,
    offset,
    length,
    data: '',
    truncated: true,
  });

const fresh = (limits?: QueueSeriesLimits) =>
  new QueueSeries('c-1', pointOfRow(conn({ bytesIn: 5, bytesOut: 7, queuedBytes: 3, recvQ: 1, sendQ: 2 }), T0), limits);

describe('QueueSeries', () => {
  it('starts from the row and follows kernel, queue and data events', () => {
    const s = fresh();
    expect(s.latest).toEqual({ at: T0, recvQ: 1, sendQ: 2, queued: 3, bytesIn: 5, bytesOut: 7 });
    expect(s.apply([kernel(T0 + S, 100, 200)])).toBe(true);
    expect(s.apply([queued(T0 + 2 * S, 4096)])).toBe(true);
    expect(s.apply([data(T0 + 3 * S, 'in', 5, 10), data(T0 + 4 * S, 'out', 7, 1000)])).toBe(true);
    expect(s.points().map((p) => [p.at - T0, p.recvQ, p.sendQ, p.queued, p.bytesIn, p.bytesOut])).toEqual([
      [0, 1, 2, 3, 5, 7],
      [S, 100, 200, 3, 5, 7],
      [2 * S, 100, 200, 4096, 5, 7],
      [3 * S, 100, 200, 4096, 15, 7],
      [4 * S, 100, 200, 4096, 15, 1007],
    ]);
  });

  it('ignores other sockets and events that change nothing', () => {
    const s = fresh();
    const v = s.version;
    expect(s.apply([kernel(T0 + S, 9, 9, 'c-2'), queued(T0 + S, 9, 'c-2'), data(T0 + S, 'in', 0, 5)])).toBe(false);
    expect(s.size).toBe(1);
    expect(s.version).toBe(v);
  });

  it('merges events within one step into one point, the latest values winning', () => {
    const s = fresh();
    s.apply([kernel(T0 + S, 10, 0)]);
    s.apply([kernel(T0 + S + 50_000, 20, 0), queued(T0 + S + 100_000, 64)]);
    s.apply([kernel(T0 + S + 150_000, 30, 0)]);
    expect(s.size).toBe(2);
    expect(s.latest).toMatchObject({ at: T0 + S, recvQ: 30, queued: 64 });
    s.apply([kernel(T0 + S + 250_000, 0, 0)]);
    expect(s.size).toBe(3);
  });

  it('never moves time back for a late event', () => {
    const s = fresh();
    s.apply([kernel(T0 + 5 * S, 10, 0)]);
    s.apply([queued(T0 + S, 99)]);
    expect(s.latest).toMatchObject({ at: T0 + 5 * S, queued: 99 });
    expect(s.points().every((p, i, a) => i === 0 || p.at >= a[i - 1]!.at)).toBe(true);
  });

  it('keeps null kernel values (the kernel forgot the socket) as gaps', () => {
    const s = fresh();
    s.apply([kernel(T0 + S, null, null)]);
    expect(s.latest).toMatchObject({ recvQ: null, sendQ: null, queued: 3 });
  });

  it('is bounded by points and by the time window, keeping the point in effect at its start', () => {
    const byCount = fresh({ points: 5, windowUs: 1000 * S, stepUs: 1 });
    for (let i = 1; i <= 20; i++) byCount.apply([kernel(T0 + i * S, i, 0)]);
    expect(byCount.size).toBe(5);
    expect(byCount.points().map((p) => p.recvQ)).toEqual([16, 17, 18, 19, 20]);

    const byTime = fresh({ points: 100, windowUs: 10 * S, stepUs: 1 });
    for (let i = 1; i <= 30; i++) byTime.apply([kernel(T0 + i * S, i, 0)]);
    const ats = byTime.points().map((p) => (p.at - T0) / S);
    expect(ats[0]).toBe(20); // 30 - 10: still in effect at the window's start
    expect(ats.at(-1)).toBe(30);
  });

  it('reports the peak in a window, counting the value in effect at its start', () => {
    const s = fresh({ points: 100, windowUs: 100 * S, stepUs: 1 });
    s.apply([kernel(T0 + S, 5000, 0), kernel(T0 + 10 * S, 10, 0), kernel(T0 + 20 * S, 0, 0)]);
    expect(s.max('recvQ')).toBe(5000);
    expect(s.max('recvQ', T0 + 15 * S)).toBe(10);
    expect(s.max('recvQ', T0 + 25 * S)).toBe(0);
  });

  it('follows a listener: accept queue and backlog from listener/kernel', () => {
    const row: ListenerRow = {
      id: 'l-1',
      local: { address: '127.0.0.1', port: 4000 },
      family: 'IPv4',
      backlog: 511,
      accept: 'hold',
      exposed: false,
      state: 'listening',
      accepted: 0,
      dropped: 0,
      createdAt: T0,
      closedAt: null,
      fault: null,
      tcpState: 'LISTEN',
      recvQ: 0,
      sendQ: 511,
    };
    const s = new QueueSeries('l-1', pointOfRow(row, T0));
    s.apply([
      checked({ type: 'listener/kernel', seq: ++seq, at: T0 + S, id: 'l-1', tcpState: 'LISTEN', recvQ: 3, sendQ: 511 }),
    ]);
    expect(s.latest).toMatchObject({ recvQ: 3, sendQ: 511, queued: 0, bytesIn: 0 });
  });
});
