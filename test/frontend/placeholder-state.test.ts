import { describe, expect, it } from 'vitest';
import { applyFrame, emptyView, endpoint, summarize, TAIL_SIZE } from '../../frontend/placeholder-state';
import type { InspectorEvent, SnapshotFrame } from '../../shared';

const flow = (seq: number, paused = true): InspectorEvent => ({ type: 'socket/flow', seq, at: 1, id: 'c-1', paused });
const snapshot = (seq: number, replay: InspectorEvent[] = [], missed = 0): SnapshotFrame => ({
  type: 'snapshot',
  seq,
  at: 1,
  sockets: { listeners: [], connections: [] },
  since: replay.length ? replay[0]!.seq - 1 : null,
  replay,
  lagged: missed > 0,
  missed,
});

describe('placeholder view', () => {
  it('keeps a tail of events after the snapshot and skips duplicates', () => {
    let v = applyFrame(emptyView, snapshot(2));
    v = applyFrame(v, flow(3));
    v = applyFrame(v, flow(3));
    v = applyFrame(v, flow(2));
    expect(v.tail.map((e) => e.seq)).toEqual([3]);
    expect(v.table?.seq).toBe(3);
  });

  it('appends only the new part of a resume replay and counts missed events', () => {
    let v = applyFrame(emptyView, snapshot(0));
    v = applyFrame(v, flow(1));
    v = applyFrame(v, snapshot(3, [flow(1), flow(2), flow(3)], 4));
    expect(v.tail.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(v.missed).toBe(4);
  });

  it('holds at most TAIL_SIZE events', () => {
    let v = applyFrame(emptyView, snapshot(0));
    for (let seq = 1; seq <= TAIL_SIZE + 5; seq++) v = applyFrame(v, flow(seq));
    expect(v.tail).toHaveLength(TAIL_SIZE);
    expect(v.tail[0]!.seq).toBe(6);
  });

  it('summarises data with an escaped preview and brackets IPv6 endpoints', () => {
    const data: InspectorEvent = {
      type: 'socket/data',
      seq: 1,
      at: 1,
      id: 'c-1',
      direction: 'in',
      index: 1,
      offset: 0,
      length: 4,
      data: 'aGkNCg==',
      truncated: false,
    };
    expect(summarize(data)).toBe('in 4 B "hi\\r\\n"');
    expect(summarize({ ...data, data: '', truncated: true })).toBe('in 4 B (payload left out)');
    expect(endpoint({ address: '::1', port: 80 })).toBe('[::1]:80');
    expect(endpoint(null)).toBe('—');
  });
});
