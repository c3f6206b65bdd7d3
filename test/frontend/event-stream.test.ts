// The browser's stream link, run in Node against a real ws server: checks frames, degrades, reconnects with since,
// says why the server refused it and waits longer then; and against a real sockscope with maxStreamClients taken.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { IncomingMessage } from 'node:http';
import { connectEventStream, type EventStream, type LinkStatus } from '../../frontend/api/event-stream';
import { STREAM_CLOSE, tooManyStreamClients, type StreamFrame } from '../../shared';
import { useApp } from '../helpers/app-fixture';

const snapshot = (seq: number) => ({
  type: 'snapshot',
  seq,
  at: 1,
  sockets: { listeners: [], connections: [] },
  since: null,
  replay: [],
  lagged: false,
  missed: 0,
});
const flow = (seq: number) => ({ type: 'socket/flow', seq, at: 1, id: 'c-1', paused: true });
/**
 * The wait after a refusal in these tests: long enough to tell from the 10-20 ms backoff of any other close, short
 * enough for the test's own waits.
 */
const REFUSED_MS = 300;

describe('connectEventStream', () => {
  let server: WebSocketServer;
  let stream: EventStream | undefined;
  const requests: string[] = [];
  const sockets: WebSocket[] = [];
  const frames: StreamFrame[] = [];
  const statuses: LinkStatus[] = [];
  const whys: (string | null)[] = [];

  beforeEach(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (ws: WebSocket, req: IncomingMessage) => {
      requests.push(req.url ?? '');
      sockets.push(ws);
    });
    const { port } = server.address() as { port: number };
    vi.stubGlobal('location', { href: `http://127.0.0.1:${port}/` });
    vi.stubGlobal('WebSocket', WebSocket);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    stream = connectEventStream({
      onFrame: (f) => frames.push(f),
      onStatus: (s, why) => {
        statuses.push(s);
        whys.push(why ?? null);
      },
      minDelayMs: 10,
      maxDelayMs: 20,
      refusedDelayMs: REFUSED_MS,
    });
  });

  afterEach(async () => {
    stream?.close();
    for (const ws of sockets) ws.terminate();
    await new Promise((resolve) => server.close(resolve));
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    requests.length = sockets.length = frames.length = statuses.length = whys.length = 0;
  });

  // Generous timeouts: on a loaded 2-core machine a loopback WebSocket can take a while.
  const eventually = { timeout: 5_000, interval: 10 };
  const nthSocket = (n: number) =>
    vi.waitFor(() => sockets[n] ?? Promise.reject(new Error(`no socket ${n}`)), eventually);

  it('goes live on the snapshot and passes checked frames on', async () => {
    const ws = await nthSocket(0);
    expect(requests[0]).toBe('/api/stream');
    expect(statuses).toEqual(['connecting']);
    ws.send(JSON.stringify(snapshot(3)));
    ws.send(JSON.stringify(flow(4)));
    await vi.waitFor(() => expect(frames.map((f) => f.seq)).toEqual([3, 4]), eventually);
    expect(statuses).toEqual(['connecting', 'live']);
  });

  it('unpacks a batch (a JSON array of events) in order, checking each event', async () => {
    const ws = await nthSocket(0);
    ws.send(JSON.stringify(snapshot(1)));
    ws.send(JSON.stringify([flow(2), { ...flow(3), paused: 'yes' }, flow(4)]));
    await vi.waitFor(() => expect(frames.map((f) => f.seq)).toEqual([1, 2, 4]), eventually);
    expect(statuses.at(-1)).toBe('degraded');
  });

  it('drops invalid frames, logs them and marks the link degraded', async () => {
    const ws = await nthSocket(0);
    ws.send(JSON.stringify(snapshot(1)));
    ws.send(JSON.stringify({ ...flow(2), paused: 'yes' }));
    ws.send('not json');
    ws.send(JSON.stringify(flow(3)));
    await vi.waitFor(() => expect(frames.map((f) => f.seq)).toEqual([1, 3]), eventually);
    expect(statuses).toEqual(['connecting', 'live', 'degraded']);
    expect(console.error).toHaveBeenCalledTimes(2);
    expect(String(vi.mocked(console.error).mock.calls[0]![0])).toContain('paused: must be a boolean');
  });

  it('reconnects after a close, resuming after the last seq', async () => {
    const first = await nthSocket(0);
    first.send(JSON.stringify(snapshot(5)));
    first.send(JSON.stringify(flow(6)));
    await vi.waitFor(() => expect(frames).toHaveLength(2), eventually);
    first.close();
    const second = await nthSocket(1);
    expect(requests[1]).toBe('/api/stream?since=6');
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting']);
    second.send(JSON.stringify(snapshot(6)));
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('live'), eventually);
  });

  it("says why on 1013 (refused: the server's reason) and waits longer than its backoff before trying again", async () => {
    const first = await nthSocket(0);
    first.send(JSON.stringify(snapshot(2)));
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('live'), eventually);
    const closedAt = performance.now();
    first.close(STREAM_CLOSE.tooManyClients.code, tooManyStreamClients(32));
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('refused'), eventually);
    expect(whys.at(-1)).toBe('too many stream clients (max 32)');

    const second = await nthSocket(1);
    expect(performance.now() - closedAt).toBeGreaterThanOrEqual(REFUSED_MS);
    expect(requests[1]).toBe('/api/stream?since=2');
    second.send(JSON.stringify(snapshot(2)));
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('live'), eventually);
    expect(whys.at(-1)).toBeNull();
  });

  it('a close without a reason still says why, from the table', async () => {
    const first = await nthSocket(0);
    first.close(STREAM_CLOSE.tooManyClients.code);
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('refused'), eventually);
    expect(whys.at(-1)).toBe(STREAM_CLOSE.tooManyClients.reason);
  });

  it('stops for good on close()', async () => {
    const ws = await nthSocket(0);
    stream!.close();
    await new Promise((resolve) => ws.once('close', resolve));
    // Proving that nothing happens needs a wait: 5x the longest reconnect delay (maxDelayMs 20) would have seen one.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sockets).toHaveLength(1);
  });

  it('closes a socket still connecting without an error, and the server sees it go', async () => {
    // Closed before the upgrade is answered: Node's ws used to throw "closed before the connection was established".
    stream!.close();
    const ws = await nthSocket(0);
    await new Promise((resolve) => (ws.readyState === ws.CLOSED ? resolve(null) : ws.once('close', resolve)));
    expect(statuses).toEqual(['connecting']);
    expect(console.error).not.toHaveBeenCalled();
  });
});

describe('connectEventStream against sockscope with every stream place taken', () => {
  const fixture = useApp();
  let stream: EventStream | undefined;
  afterEach(() => {
    stream?.close();
    vi.unstubAllGlobals();
  });

  it("shows the server's refusal (maxStreamClients) and is served once the place is free", async () => {
    const s = await fixture.start({ limits: { maxStreamClients: 1 } });
    const holder = await s.stream();
    await holder.waitFor((f) => f.type === 'snapshot');
    vi.stubGlobal('location', { href: `http://127.0.0.1:${s.port}/` });
    vi.stubGlobal('WebSocket', WebSocket);
    const statuses: [LinkStatus, string | null][] = [];
    stream = connectEventStream({
      url: `/api/stream?token=${s.token}`,
      onFrame: () => {},
      onStatus: (status, why) => statuses.push([status, why ?? null]),
      refusedDelayMs: REFUSED_MS,
    });
    await vi.waitFor(() => expect(statuses.at(-1)?.[0]).toBe('refused'), { timeout: 5_000, interval: 10 });
    expect(statuses.at(-1)).toEqual(['refused', 'too many stream clients (max 1)']);

    holder.close();
    await holder.closed;
    await vi.waitFor(() => expect(statuses.at(-1)).toEqual(['live', null]), { timeout: 5_000, interval: 10 });
  });
});
