// The detail model: REST history merged with live events, deduplicated by seq and chunk index, bounded, holes filled.
import { describe, expect, it, vi } from 'vitest';
import { DetailModel, type DetailLimits, type DetailSource } from '../../frontend/state/detail-model';
import { escapedString, escapeUtf8 } from '../../frontend/state/escape-text';
import type { ChunksQuery, ChunksReply, EventsPage, EventsQuery, InspectorEvent, SnapshotFrame } from '../../shared';
import { chunk, data, faultEvent, opened, state } from './detail-factories';

/** A fake server: the event log and capture, paged like the real API (since exclusive, limit, more). */
function fakeServer(events: InspectorEvent[], chunks: ReturnType<typeof chunk>[], droppedChunks = 0) {
  const getEvents = vi.fn(async (q: EventsQuery): Promise<EventsPage> => {
    const after = events.filter((e) => e.seq > (q.since ?? 0) && (q.id === undefined || e.id === q.id));
    const page = after.slice(0, q.limit ?? 1000);
    const lastSeq = events.at(-1)?.seq ?? 0;
    return { events: page, oldestSeq: events[0]?.seq ?? 0, lastSeq, lagged: false, more: after.length > page.length };
  });
  const getChunks = vi.fn(async (_id: string, q: ChunksQuery): Promise<ChunksReply> => {
    const after = chunks.filter((c) => c.index > (q.since ?? 0));
    const page = after.slice(0, q.limit ?? 1000);
    const lastIndex = Math.max(0, ...chunks.map((c) => c.index), droppedChunks);
    return {
      id: 'c-1',
      chunks: page,
      droppedBytes: droppedChunks * 5,
      droppedChunks,
      lastIndex,
      more: after.length > page.length,
    };
  });
  return { getEvents, getChunks, events, chunks };
}

const limits = (over: Partial<DetailLimits> = {}): DetailLimits => ({
  timelineEntries: 5000,
  captureBytes: 1 << 20,
  captureChunks: 1000,
  pageSize: 2,
  ...over,
});

const texts = (m: DetailModel): string[] =>
  Array.from({ length: m.capture.size }, (_, i) => {
    const c = m.capture.at(i)!;
    return c.bytes ? `${c.index}:${escapedString(escapeUtf8(c.bytes))}` : `${c.index}:${c.status}`;
  });

const seqs = (m: DetailModel): number[] => Array.from({ length: m.timeline.size }, (_, i) => m.timeline.at(i)!.seq);

/** A promise the test resolves by hand, to hold a REST reply while live events arrive. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('detail model', () => {
  it('pages history while `more` and reports ready', async () => {
    const c1 = chunk(1, 'hello', 'out');
    const c2 = chunk(2, 'world', 'in');
    const c3 = chunk(3, '!', 'in', 5);
    const server = fakeServer(
      [opened(1), state(2, 'connecting', 'open'), data(3, c1), data(4, c2), data(5, c3), opened(6, 'c-2')],
      [c1, c2, c3],
    );
    const m = new DetailModel('c-1', server, limits());
    await m.start();
    expect(m.phase).toBe('ready');
    expect(seqs(m)).toEqual([1, 2, 3, 4]); // 4 and 5 are one burst of reads
    expect(texts(m)).toEqual(['1:hello', '2:world', '3:!']);
    expect(server.getEvents.mock.calls.map(([q]) => q.since)).toEqual([0, 2, 4]);
    expect(server.getChunks.mock.calls.map(([, q]) => q.since)).toEqual([0, 2]);
    expect(m.historyGap).toBe(false);
  });

  it('merges live events that arrive while history loads, without duplicates, in seq order', async () => {
    const c1 = chunk(1, 'a', 'in');
    const c2 = chunk(2, 'b', 'in');
    const server = fakeServer([opened(1), state(2, 'connecting', 'open'), data(3, c1)], [c1]);
    const hold = gate();
    const getEvents = server.getEvents;
    const source: DetailSource = {
      getEvents: async (q) => {
        await hold.opened;
        return getEvents(q);
      },
      getChunks: server.getChunks,
    };
    const m = new DetailModel('c-1', source, limits({ pageSize: 100 }));
    const loading = m.start();
    // The stream delivers an event the REST page will also contain, a newer one, and another row's event.
    m.receive([data(3, c1), data(4, c2, { at: c1.at + 1_000_000 }), state(5, 'open', 'closed', 'c-9')], null);
    expect(m.phase).toBe('loading');
    expect(m.timeline.size).toBe(0);
    hold.open();
    await loading;
    expect(seqs(m)).toEqual([1, 2, 3, 4]);
    expect(texts(m)).toEqual(['1:a', '2:b']);
    // A replayed duplicate after a reconnect changes nothing.
    const before = m.version;
    m.receive([data(4, c2)], null);
    expect(m.version).toBe(before);
  });

  it('fetches payloads the stream left out instead of showing a hole', async () => {
    const c1 = chunk(1, 'one', 'in');
    const c2 = chunk(2, 'two', 'in', 3);
    const c3 = chunk(3, 'three', 'out');
    const server = fakeServer([opened(1)], [c1]);
    const m = new DetailModel('c-1', server, limits());
    await m.start();
    server.chunks.push(c2, c3);
    m.receive([data(2, c2, { truncated: true }), data(3, c3, { truncated: true })], null);
    expect(texts(m)).toEqual(['1:one', '2:pending', '3:pending']);
    await vi.waitFor(() => expect(texts(m)).toEqual(['1:one', '2:two', '3:three']));
    // Fetched from the last index held before the hole.
    expect(server.getChunks.mock.calls.at(-1)![1].since).toBe(1);
  });

  it('marks left-out chunks the server no longer has as lost', async () => {
    const server = fakeServer([opened(1)], [], 2);
    const m = new DetailModel('c-1', server, limits());
    await m.start();
    m.receive([data(2, chunk(2, 'gone', 'in'), { truncated: true })], null);
    await vi.waitFor(() => expect(texts(m)).toEqual(['2:lost']));
    expect(m.serverDropped.chunks).toBe(2);
  });

  it('stays within its bounds and counts what it dropped', async () => {
    const events: InspectorEvent[] = [opened(1)];
    const chunks = [];
    for (let i = 1; i <= 10; i++) {
      const c = chunk(i, '0123456789', i % 2 ? 'in' : 'out');
      chunks.push(c);
      events.push(state(i + 1, 'open', 'open'), data(i + 100, c)); // state events keep data from folding
    }
    events.sort((a, b) => a.seq - b.seq);
    const m = new DetailModel('c-1', fakeServer(events, chunks), limits({ timelineEntries: 5, captureBytes: 35 }));
    await m.start();
    expect(m.timeline.size).toBe(5);
    expect(m.timeline.dropped).toBe(events.length - 5 - 0);
    expect(m.capture.size).toBe(3);
    expect([m.capture.droppedChunks, m.capture.droppedBytes]).toEqual([7, 70]);
    expect(texts(m)[0]).toBe('8:0123456789');
  });

  it('catches up by REST after a lagged snapshot, holding live events until then', async () => {
    const c1 = chunk(1, 'x', 'in');
    const c2 = chunk(2, 'y', 'in');
    const server = fakeServer([opened(1)], []);
    const m = new DetailModel('c-1', server, limits());
    await m.start();
    // Missed while lagged: seq 2 and chunk 1; the snapshot replays seq 3 (chunk 2).
    server.events.push(data(2, c1), faultEvent(3));
    server.chunks.push(c1, c2);
    const snapshot = { lagged: true } as SnapshotFrame;
    m.receive([faultEvent(3)], snapshot);
    await vi.waitFor(() => expect(seqs(m)).toEqual([1, 2, 3]));
    expect(texts(m)).toEqual(['1:x', '2:y']);
    expect(m.historyGap).toBe(false);
  });

  it('reports a failed load inline and retries from scratch', async () => {
    const server = fakeServer([opened(1), state(2, 'connecting', 'open')], []);
    const failing: DetailSource = {
      getEvents: vi
        .fn()
        .mockRejectedValueOnce(Object.assign(new Error('offline'), { code: 'NETWORK' }))
        .mockImplementation(server.getEvents),
      getChunks: server.getChunks,
    };
    const m = new DetailModel('c-1', failing, limits());
    await m.start();
    expect([m.phase, m.error]).toEqual(['failed', 'NETWORK: offline']);
    server.events.push(state(3, 'open', 'closed'));
    m.receive([server.events[2]!], null); // live events still show
    expect(seqs(m)).toEqual([3]);
    await m.retry();
    expect([m.phase, m.error]).toEqual(['ready', null]);
    expect(seqs(m)).toEqual([1, 2, 3]);
  });

  it('flags a history whose beginning the server log no longer has', async () => {
    const m = new DetailModel('c-1', fakeServer([state(5, 'connecting', 'open')], []), limits());
    await m.start();
    expect(m.historyGap).toBe(true);
  });

  it('loads a listener without asking for chunks', async () => {
    const server = fakeServer([], []);
    const m = new DetailModel('l-1', server, limits());
    await m.start();
    expect(server.getChunks).not.toHaveBeenCalled();
    expect(m.isConnection).toBe(false);
  });
});
