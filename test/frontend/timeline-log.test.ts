// Timeline entries from events: deduplicated by seq, reads folded into bursts, kernel changes only, bounded.
import { describe, expect, it } from 'vitest';
import { DATA_BURST_US, TimelineLog } from '../../frontend/state/timeline-log';
import { attemptEvent, checked, chunk, data, faultEvent, opened, state, T0 } from './detail-factories';

const kinds = (t: TimelineLog) => Array.from({ length: t.size }, (_, i) => t.at(i)!.kind);

describe('TimelineLog', () => {
  it('turns a retried connect into attempts and errno cards, explaining each code once', () => {
    const t = new TimelineLog(100);
    for (const e of [
      opened(1),
      attemptEvent(2, 1, 3),
      faultEvent(3, 1, 200),
      attemptEvent(4, 2, 3),
      faultEvent(5, 2, 400),
    ])
      t.add(e);
    expect(kinds(t)).toEqual(['opened', 'attempt', 'fault', 'attempt', 'fault']);
    const faults = [t.at(2)!, t.at(4)!].map((e) =>
      e.kind === 'fault' ? [e.attempt, e.attempts, e.retryInMs, e.firstOfCode] : null,
    );
    expect(faults).toEqual([
      [1, 3, 200, true],
      [2, 3, 400, false],
    ]);
  });

  it('skips duplicates and folds a burst of reads in one direction', () => {
    const t = new TimelineLog(100);
    const a = chunk(1, 'aaaa', 'in');
    expect(t.add(data(10, a))).toBe(true);
    expect(t.add(data(10, a))).toBe(false);
    t.add(data(11, chunk(2, 'bb', 'in'), { at: a.at + 10 }));
    t.add(data(12, chunk(3, 'c', 'out'), { at: a.at + 20 }));
    t.add(data(13, chunk(4, 'd', 'out'), { at: a.at + 20 + DATA_BURST_US }));
    expect(kinds(t)).toEqual(['data', 'data', 'data']);
    expect(t.at(0)).toMatchObject({ count: 2, bytes: 6, firstIndex: 1, lastIndex: 2 });
  });

  it('records kernel state changes, not every queue update, and drops the oldest past its bound', () => {
    const t = new TimelineLog(3);
    const kernel = (seq: number, tcpState: 'ESTABLISHED' | 'CLOSE_WAIT' | null, recvQ: number | null) =>
      checked({ type: 'socket/kernel', seq, at: T0 + seq, id: 'c-1', tcpState, recvQ, sendQ: recvQ });
    for (const e of [
      kernel(1, 'ESTABLISHED', 0),
      kernel(2, 'ESTABLISHED', 10),
      kernel(3, 'CLOSE_WAIT', 0),
      kernel(4, null, null),
    ])
      t.add(e);
    expect(kinds(t)).toEqual(['kernel', 'kernel', 'kernel']);
    t.add(state(5, 'open', 'closed'));
    expect([t.size, t.dropped, t.at(0)!.seq]).toEqual([3, 1, 3]);
  });
});
