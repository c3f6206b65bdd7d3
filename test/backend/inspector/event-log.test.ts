import { describe, expect, it } from 'vitest';
import type { InspectorEvent, UnsequencedEvent } from '../../../shared';
import { EventLog } from '../../../backend/inspector/event-log';
import { assertValidEvent } from '../../helpers/loopback';

const flow = (id: string, paused = true): UnsequencedEvent => ({ type: 'socket/flow', at: 1, id, paused });
const data = (id: string, length: number): UnsequencedEvent => ({
  type: 'socket/data',
  at: 1,
  id,
  direction: 'in',
  index: 1,
  offset: 0,
  length,
  data: Buffer.alloc(length, 0x62).toString('base64'),
  truncated: false,
});

describe('EventLog', () => {
  it('stamps seq from 1, strictly increasing, and pages by since/limit/id', () => {
    const log = new EventLog(100, 1000);
    for (let i = 0; i < 5; i++) log.append(flow(i % 2 ? 'c-2' : 'c-1'));
    const all = log.page({});
    expect(all.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    all.events.forEach((e) => assertValidEvent(e));
    expect(log.page({ since: 2, limit: 2 })).toMatchObject({ oldestSeq: 1, lastSeq: 5, lagged: false, more: true });
    expect(log.page({ since: 2, limit: 2 }).events.map((e) => e.seq)).toEqual([3, 4]);
    expect(log.page({ id: 'c-2' }).events.map((e) => e.seq)).toEqual([2, 4]);
    expect(new EventLog(3, 0).page({})).toEqual({ events: [], oldestSeq: 0, lastSeq: 0, lagged: false, more: false });
  });

  it('is a bounded ring; reading from before the oldest event says lagged', () => {
    const log = new EventLog(3, 1000);
    for (let i = 0; i < 7; i++) log.append(flow('c-1'));
    const page = log.page({ since: 2 });
    expect(page.events.map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(page).toMatchObject({ oldestSeq: 5, lastSeq: 7, lagged: true });
    expect(log.page({ since: 4 }).lagged).toBe(false);
  });

  it('over the payload budget, the oldest data events lose their bytes but keep their length', () => {
    const log = new EventLog(100, 10);
    const delivered: InspectorEvent[] = [];
    log.subscribe((e) => delivered.push(e));
    log.append(data('c-1', 4));
    log.append(data('c-1', 4));
    log.append(data('c-1', 4)); // 12 > 10: the first loses its payload
    const events = log.page({}).events;
    events.forEach((e) => assertValidEvent(e));
    expect(events.map((e) => (e.type === 'socket/data' ? [e.truncated, e.data.length, e.length] : null))).toEqual([
      [true, 0, 4],
      [false, 8, 4],
      [false, 8, 4],
    ]);
    // live subscribers got the full payload
    expect(delivered.every((e) => e.type === 'socket/data' && !e.truncated)).toBe(true);
  });

  it('subscribe: replay after since, only later events live, lagged and missed when evicted', () => {
    const log = new EventLog(4, 1000);
    for (let i = 0; i < 6; i++) log.append(flow('c-1'));
    const got: number[] = [];
    const fresh = log.subscribe((e) => got.push(e.seq));
    expect(fresh).toMatchObject({ lastSeq: 6, replay: [], lagged: false, missed: 0 });
    const resumed = log.subscribe(() => {}, 4);
    expect(resumed.replay.map((e) => e.seq)).toEqual([5, 6]);
    expect(resumed.lagged).toBe(false);
    const late = log.subscribe(() => {}, 0);
    expect(late).toMatchObject({ lagged: true, missed: 2 });
    expect(late.replay.map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    log.append(flow('c-1'));
    expect(got).toEqual([7]);
    fresh.unsubscribe();
    log.append(flow('c-1'));
    expect(got).toEqual([7]);
  });

  it('a throwing subscriber is reported once and does not stop the others', () => {
    const errors: unknown[] = [];
    const log = new EventLog(10, 10, (e) => errors.push(e));
    const got: number[] = [];
    log.subscribe(() => {
      throw new Error('bad subscriber');
    });
    log.subscribe((e) => got.push(e.seq));
    log.append(flow('c-1'));
    log.append(flow('c-1'));
    expect(got).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
  });

  it('events appended from inside a subscriber reach everyone in seq order', () => {
    const log = new EventLog(10, 10);
    const a: number[] = [];
    const b: number[] = [];
    log.subscribe((e) => {
      a.push(e.seq);
      if (e.seq === 1) log.append(flow('c-1', false));
    });
    log.subscribe((e) => b.push(e.seq));
    log.append(flow('c-1'));
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1, 2]);
  });
});
