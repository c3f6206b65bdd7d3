// The WebSocket stream: snapshot first, resume with ?since (replay, no duplicates), lagged log, bounded per-client queue.
import { afterEach, describe, expect, it } from 'vitest';
import { STREAM_CLOSE, type InspectorEvent, type Limits, type SnapshotFrame, type StreamFrame } from '../../../shared';
import { startApp, type StartedApp } from '../../helpers/app';

let s: StartedApp | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function start(limits: Partial<Limits> = {}): Promise<StartedApp> {
  s = await startApp({ uiDir: null, limits });
  return s;
}

/** A listener and a client connected to it; returns both connection ids. */
async function pair(app: StartedApp): Promise<{ client: string; accepted: string }> {
  const listener = (await app.api('POST', '/api/listeners', { port: 0 })).json;
  const client = (await app.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: listener.local.port }))
    .json;
  expect(client.state).toBe('open');
  let accepted: string | undefined;
  for (let i = 0; i < 100 && !accepted; i++) {
    const rows = (await app.api('GET', '/api/sockets')).json.connections as { id: string; parent: string | null }[];
    accepted = rows.find((r) => r.parent === listener.id)?.id;
    if (!accepted) await new Promise((resolve) => setImmediate(resolve));
  }
  if (!accepted) throw new Error('the listener never accepted');
  return { client: client.id, accepted };
}

const lastSeq = async (app: StartedApp): Promise<number> =>
  (await app.api('GET', '/api/events?since=0&limit=1')).json.lastSeq;
const isData = (id: string, text: string) => (f: StreamFrame) =>
  f.type === 'socket/data' && f.id === id && f.direction === 'in' && Buffer.from(f.data, 'base64').toString() === text;

describe('/api/stream', () => {
  it('sends the snapshot first, with the rows as they are', async () => {
    const app = await start();
    const { client } = await pair(app);
    const stream = await app.stream();
    const snapshot = await stream.waitFor<SnapshotFrame>((f) => f.type === 'snapshot');
    expect(stream.frames[0]).toBe(snapshot);
    expect(snapshot.seq).toBe(await lastSeq(app));
    expect(snapshot.sockets.connections.map((c) => c.id)).toContain(client);
    expect(snapshot.sockets.listeners).toHaveLength(1);
    stream.close();
  });

  it('resumes with ?since: the missed events are replayed, then live ones follow, none twice', async () => {
    const app = await start();
    const first = await app.stream();
    const { client, accepted } = await pair(app);
    await app.api('POST', `/api/connections/${client}/send`, { data: 'one' });
    await first.waitFor(isData(accepted, 'one'));
    const seen = first.events.at(-1)!.seq;
    first.close();
    await first.closed;

    // Missed while disconnected.
    await app.api('POST', `/api/connections/${client}/send`, { data: 'two' });
    await app.api('POST', `/api/connections/${accepted}/send`, { data: 'three' });
    await app.api('POST', `/api/connections/${client}/pause`);

    const second = await app.stream(seen);
    const snapshot = await second.waitFor<SnapshotFrame>((f) => f.type === 'snapshot');
    expect(snapshot).toMatchObject({ since: seen, lagged: false, missed: 0 });
    await app.api('POST', `/api/connections/${client}/resume`);
    await app.api('POST', `/api/connections/${client}/send`, { data: 'four' });
    await second.waitFor(isData(accepted, 'four'));

    const received = [...snapshot.replay, ...second.events];
    const seqs = received.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    const logged = (await app.api('GET', `/api/events?since=${seen}`)).json.events as InspectorEvent[];
    expect(received).toEqual(logged);
    expect(snapshot.replay.every((e) => e.seq > seen && e.seq <= snapshot.seq)).toBe(true);
    expect(second.events.every((e) => e.seq > snapshot.seq)).toBe(true);
    const texts = received.filter((e) => e.type === 'socket/data' && e.direction === 'in');
    expect(texts.map((e) => (e.type === 'socket/data' ? Buffer.from(e.data, 'base64').toString() : ''))).toEqual([
      'two',
      'three',
      'four',
    ]);
    second.close();
  });

  it('says lagged: true (and how many were missed) when the log no longer holds the events after since', async () => {
    const app = await start({ eventLogEvents: 4 });
    const { client } = await pair(app);
    for (const data of ['a', 'b', 'c']) await app.api('POST', `/api/connections/${client}/send`, { data });
    const page = (await app.api('GET', '/api/events?since=1')).json;
    expect(page.lagged).toBe(true);
    expect(page.oldestSeq).toBeGreaterThan(2);

    const stream = await app.stream(1);
    const snapshot = await stream.waitFor<SnapshotFrame>((f) => f.type === 'snapshot');
    expect(snapshot.lagged).toBe(true);
    expect(snapshot.since).toBe(1);
    expect(snapshot.missed).toBe(page.oldestSeq - 2);
    expect(snapshot.replay.map((e) => e.seq)).toEqual(page.events.map((e: InspectorEvent) => e.seq));
    // The snapshot rows are the truth a lagged client starts over from.
    expect(snapshot.sockets.connections.find((c) => c.id === client)?.bytesOut).toBe(3);
    stream.close();
  });

  it('batches the events of one event-loop turn into one message, in seq order', async () => {
    const app = await start();
    const stream = await app.stream();
    const { client } = await pair(app);
    const messages: unknown[] = [];
    stream.ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
    // Ten writes in one call, no delay: ten out events emitted in the same turn.
    const reply = await app.api('POST', `/api/connections/${client}/send`, {
      data: 'abcdefghij',
      split: { chunkBytes: 1 },
    });
    expect(reply.json.writes).toBe(10);
    await stream.waitFor((f) => f.type === 'socket/data' && f.id === client && f.index === 10);
    const batches = messages.filter(
      (m): m is InspectorEvent[] =>
        Array.isArray(m) && m.some((e: InspectorEvent) => e.type === 'socket/data' && e.id === client),
    );
    expect(batches).toHaveLength(1);
    const seqs = batches[0]!.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(batches[0]!.filter((e) => e.type === 'socket/data' && e.id === client)).toHaveLength(10);
    stream.close();
  });

  it('gives two caught-up clients the same batches, each event once, in order', async () => {
    const app = await start();
    const a = await app.stream();
    const b = await app.stream();
    const { client } = await pair(app);
    await app.api('POST', `/api/connections/${client}/send`, { data: 'abcdefghij', split: { chunkBytes: 2 } });
    const last = (f: StreamFrame) => f.type === 'socket/data' && f.id === client && f.index === 5;
    await a.waitFor(last);
    await b.waitFor(last);
    const seqs = (s: typeof a) => s.events.map((e) => e.seq);
    expect(seqs(a)).toEqual(seqs(b));
    expect(new Set(seqs(a)).size).toBe(seqs(a).length);
    const texts = a.events.filter((e) => e.type === 'socket/data' && e.id === client);
    expect(texts.map((e) => (e.type === 'socket/data' ? Buffer.from(e.data, 'base64').toString() : ''))).toEqual([
      'ab',
      'cd',
      'ef',
      'gh',
      'ij',
    ]);
    a.close();
    b.close();
  });

  it('leaves data payloads out (truncated, length exact) above streamSoftBytes', async () => {
    const app = await start({ streamSoftBytes: 0 });
    const stream = await app.stream();
    const { client, accepted } = await pair(app);
    await app.api('POST', `/api/connections/${client}/send`, { data: 'hello' });
    const data = await stream.waitFor<Extract<StreamFrame, { type: 'socket/data' }>>(
      (f) => f.type === 'socket/data' && f.id === accepted && f.direction === 'in',
    );
    expect(data).toMatchObject({ data: '', truncated: true, length: 5 });
    const logged = (await app.api('GET', `/api/events?id=${accepted}`)).json.events as InspectorEvent[];
    expect(logged.find((e) => e.type === 'socket/data')).toMatchObject({
      data: Buffer.from('hello').toString('base64'),
      truncated: false,
    });
    stream.close();
  });

  it('closes a client that stops reading with 4008 "lagged"; it resumes from the last seq it saw', async () => {
    const app = await start({ streamHardBytes: 64 * 1024, maxSendBytes: 1 << 20 });
    const stream = await app.stream();
    await stream.waitFor((f) => f.type === 'snapshot');
    const { client } = await pair(app);
    stream.ws.pause(); // the kernel buffers fill, then ws's bufferedAmount grows on the server
    const megabyte = Buffer.alloc(1 << 20, 7).toString('base64');
    const serverSide = () => [...app.app.websocketServer.clients][0];
    let sends = 0;
    while (serverSide()?.readyState === 1 && sends < 64) {
      const res = await app.api('POST', `/api/connections/${client}/send`, { data: megabyte, encoding: 'base64' });
      expect(res.status).toBe(200);
      sends++;
    }
    expect(serverSide()?.readyState, `still open after ${sends} MiB`).not.toBe(1);
    stream.ws.resume();
    const closed = await stream.closed;
    expect(closed).toEqual({ code: STREAM_CLOSE.lagged.code, reason: STREAM_CLOSE.lagged.reason });

    const seen = stream.events.at(-1)?.seq ?? stream.snapshot!.seq;
    const again = await app.stream(seen);
    const snapshot = await again.waitFor<SnapshotFrame>((f) => f.type === 'snapshot');
    expect(snapshot.since).toBe(seen);
    if (!snapshot.lagged) expect(snapshot.replay[0]?.seq ?? snapshot.seq + 1).toBe(seen + 1);
    again.close();
  }, 30_000);
});
