// The pane's capture: ordered by chunk index, deduplicated, placeholders completed in place, bounded with counts.
import { describe, expect, it } from 'vitest';
import { CaptureLog, placeholder, toCaptured } from '../../frontend/state/capture-log';
import { chunk } from './detail-factories';

const indexes = (c: CaptureLog) => Array.from({ length: c.size }, (_, i) => `${c.at(i)!.index}${c.at(i)!.status[0]}`);

describe('CaptureLog', () => {
  it('keeps index order and ignores duplicates', () => {
    const c = new CaptureLog(1 << 20, 100);
    expect(c.put(toCaptured(chunk(2, 'b')))).toBe(true);
    expect(c.put(toCaptured(chunk(2, 'b')))).toBe(false);
    const epoch = c.epoch;
    c.put(toCaptured(chunk(1, 'a'))); // late: goes before, and positions move
    expect(c.epoch).toBe(epoch + 1);
    c.put(toCaptured(chunk(3, 'c')));
    expect(indexes(c)).toEqual(['1o', '2o', '3o']);
    expect(c.lastIndex).toBe(3);
  });

  it('completes a placeholder in place and marks the unfetchable ones lost', () => {
    const c = new CaptureLog(1 << 20, 100);
    c.put(placeholder(chunk(1, 'abc')));
    c.put(placeholder(chunk(2, 'def')));
    expect([c.heldBytes, c.firstPending()]).toEqual([0, 1]);
    const epoch = c.epoch;
    expect(c.put(toCaptured(chunk(2, 'def')))).toBe(true);
    expect(c.epoch).toBe(epoch); // same length, same layout
    expect(c.markLost(2)).toBe(1);
    expect(indexes(c)).toEqual(['1l', '2o']);
    expect(c.put(placeholder(chunk(2, 'def')))).toBe(false); // never downgraded
    expect(c.heldBytes).toBe(3);
  });

  it('evicts the oldest chunks past the byte or chunk bound and counts them', () => {
    const c = new CaptureLog(10, 3);
    for (let i = 1; i <= 5; i++) c.put(toCaptured(chunk(i, 'xxxx')));
    expect(indexes(c)).toEqual(['4o', '5o']);
    expect([c.droppedChunks, c.droppedBytes, c.removed, c.heldBytes]).toEqual([3, 12, 3, 8]);
    expect(c.put(toCaptured(chunk(2, 'xxxx')))).toBe(false); // evicted here: not re-added by a late fetch
    const n = new CaptureLog(1 << 20, 3);
    for (let i = 1; i <= 5; i++) n.put(toCaptured(chunk(i, 'x')));
    expect(indexes(n)).toEqual(['3o', '4o', '5o']);
  });

  it('knows which chunk of a direction follows or precedes another', () => {
    const c = new CaptureLog(1 << 20, 100);
    c.put(toCaptured(chunk(1, 'a', 'in')));
    c.put(toCaptured(chunk(2, 'b', 'out')));
    c.put(toCaptured(chunk(3, 'c', 'in')));
    expect(c.isFollowed(c.at(0)!)).toBe(true);
    expect(c.isFollowed(c.at(1)!)).toBe(false);
    expect(c.previousSameDirection(2)?.index).toBe(1);
    expect(c.previousSameDirection(1)).toBeUndefined();
  });
});
