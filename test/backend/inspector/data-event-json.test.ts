// The stream writes data events with a hand-made JSON text (eventJson): it must be exactly what JSON.stringify gives,
// for every state a data event can be in.
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../backend/inspector/capture';
import { dataEvent, eventJson } from '../../../backend/inspector/data-event';
import { CHUNK_OVERHEAD_BYTES, type InspectorEvent } from '../../../shared';

const stamp = (e: ReturnType<typeof dataEvent>, seq: number) => Object.assign(e, { seq }) as InspectorEvent;

describe('eventJson', () => {
  it('equals JSON.stringify for own, recycled, evicted and empty chunks, and for other events', () => {
    const capture = new CaptureStore(64 * 1024 + CHUNK_OVERHEAD_BYTES, 1 << 20).create(); // room for one read
    const read = Buffer.alloc(64 * 1024, 0x41);
    const first = capture.record('in', read, 10, 'recycle');
    const recycled = stamp(dataEvent(10, 'c-1', 'in', first.index, first.offset, first.bytes, capture), 1);
    expect(JSON.parse(eventJson(recycled)).data.length).toBeGreaterThan(0);
    expect(eventJson(recycled)).toBe(JSON.stringify(recycled));
    capture.record('in', Buffer.alloc(64 * 1024, 0x42), 11, 'recycle'); // evicts the first under a 64 KiB cap
    expect(JSON.parse(eventJson(recycled))).toMatchObject({ data: '', truncated: true, length: 64 * 1024 });
    expect(eventJson(recycled)).toBe(JSON.stringify(recycled));
    const own = stamp(dataEvent(1763794233123456, 'c-"x"', 'out', 7, 123, Buffer.from('hé\n\0')), 2);
    expect(eventJson(own)).toBe(JSON.stringify(own));
    const empty = stamp(dataEvent(5, 'c-2', 'out', 1, 0, Buffer.alloc(0)), 3);
    expect(eventJson(empty)).toBe(JSON.stringify(empty));
    const state = { type: 'socket/state', seq: 4, at: 1, id: 'c-1', from: 'open', to: 'closed', cause: 'peer-fin' };
    expect(eventJson(state as InspectorEvent)).toBe(JSON.stringify(state));
  });
});
