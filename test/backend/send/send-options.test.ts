// Send options over real loopback: split into timed writes, repeat, framing + split, early stops, refused plans, REST.
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventOf, FramingRule, InspectorEvent, SendBody } from '../../../shared';
import { Inspector } from '../../../backend/inspector/inspector';
import { startApp } from '../../helpers/app';
import { useInspector } from '../../helpers/inspector-fixture';
import { assertLogValid, isState, peer, resetOnAccept, waitForEvent, within } from '../../helpers/loopback';
import { framingOf } from '../../../backend/framing/framing-api';

const fx = useInspector();
const { teardown, until } = fx;
const LEN4: FramingRule = { kind: 'length', bytes: 4, endian: 'big', includesHeader: false };

type Data = EventOf<'socket/data'>;
const isData =
  (id: string, direction: 'in' | 'out') =>
  (e: InspectorEvent): e is Data =>
    e.type === 'socket/data' && e.id === id && e.direction === direction;

/** A plain peer that keeps every read of its first connection apart. */
async function recordingPeer() {
  const reads: Buffer[] = [];
  let wake = () => {};
  const p = teardown.add(
    await peer((s: net.Socket) =>
      s.on('data', (b: Buffer) => {
        reads.push(b);
        wake();
      }),
    ),
  );
  const total = () => reads.reduce((n, b) => n + b.length, 0);
  /** The reads as strings once `bytes` bytes have arrived. */
  const readsUpTo = async (bytes: number): Promise<string[]> => {
    while (total() < bytes)
      await within(new Promise<void>((resolve) => (wake = resolve)), 3000, `the peer reading ${bytes} bytes`);
    return reads.map((b) => b.toString());
  };
  return { port: p.port, readsUpTo };
}

async function connectTo(inspector: Inspector, port: number): Promise<string> {
  const row = inspector.openConnection({ host: '127.0.0.1', port });
  await waitForEvent(inspector, isState(row.id, 'open'), 3000, 0);
  return row.id;
}

const outEvents = (inspector: Inspector, id: string): Data[] =>
  inspector.events({ id, limit: 10000 }).events.filter(isData(id, 'out'));

describe('split', () => {
  it('{writes: 3, delayMs: 50} of "abcdefghij": 3 reads of 4, 3, 3 bytes in order, 3 out events, writes 3', async () => {
    const p = await recordingPeer();
    const id = await connectTo(fx.inspector, p.port);
    const reply = await fx.inspector.send(id, { data: 'abcdefghij', split: { writes: 3, delayMs: 50 } });
    expect(reply).toEqual({ id, bytes: 10, bytesOut: 10, queuedBytes: expect.any(Number), writes: 3, stopped: null });
    expect(await p.readsUpTo(10)).toEqual(['abcd', 'efg', 'hij']);
    const out = outEvents(fx.inspector, id);
    expect(out.map((e) => [e.offset, e.length])).toEqual([
      [0, 4],
      [4, 3],
      [7, 3],
    ]);
    // Timers may fire a millisecond early; 40 ms is clearly "apart".
    expect(out[1]!.at - out[0]!.at).toBeGreaterThanOrEqual(40_000);
    expect(out[2]!.at - out[1]!.at).toBeGreaterThanOrEqual(40_000);
    expect(fx.inspector.getConnection(id)).toMatchObject({ chunksOut: 3, bytesOut: 10 });
  });

  it('{chunkBytes: 4, delayMs: 30}: writes of 4, 4, 2 bytes, each read apart', async () => {
    const p = await recordingPeer();
    const id = await connectTo(fx.inspector, p.port);
    const reply = await fx.inspector.send(id, { data: 'abcdefghij', split: { chunkBytes: 4, delayMs: 30 } });
    expect(reply).toMatchObject({ bytes: 10, writes: 3, stopped: null });
    expect(await p.readsUpTo(10)).toEqual(['abcd', 'efgh', 'ij']);
    expect(outEvents(fx.inspector, id).map((e) => e.length)).toEqual([4, 4, 2]);
  });

  it('without a delay every write is made in the same tick: 3 out chunks at once (the peer may read them merged)', async () => {
    const p = await recordingPeer();
    const id = await connectTo(fx.inspector, p.port);
    const pending = fx.inspector.send(id, { data: 'abcdefghij', split: { writes: 3 } });
    expect(fx.inspector.getConnection(id)).toMatchObject({ chunksOut: 3, bytesOut: 10 });
    expect(await pending).toMatchObject({ bytes: 10, writes: 3, stopped: null });
    expect((await p.readsUpTo(10)).join('')).toBe('abcdefghij');
  });
});

describe('repeat', () => {
  it('{count: 3, intervalMs: 30}: the payload 3 times, read apart; bytes count all of them', async () => {
    const p = await recordingPeer();
    const id = await connectTo(fx.inspector, p.port);
    const reply = await fx.inspector.send(id, { data: 'ping', repeat: { count: 3, intervalMs: 30 } });
    expect(reply).toMatchObject({ bytes: 12, bytesOut: 12, writes: 3, stopped: null });
    expect(await p.readsUpTo(12)).toEqual(['ping', 'ping', 'ping']);
  });

  it('split and repeat together: each repetition cut the same way, pauses between pieces and repetitions', async () => {
    const p = await recordingPeer();
    const id = await connectTo(fx.inspector, p.port);
    const body: SendBody = { data: 'abcdef', split: { writes: 2, delayMs: 30 }, repeat: { count: 2, intervalMs: 30 } };
    expect(await fx.inspector.send(id, body)).toMatchObject({ bytes: 12, writes: 4, stopped: null });
    expect(await p.readsUpTo(12)).toEqual(['abc', 'def', 'abc', 'def']);
    expect(outEvents(fx.inspector, id).map((e) => [e.offset, e.length])).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
      [9, 3],
    ]);
  });
});

describe('framing + split', () => {
  it('a length-prefixed message cut mid-header arrives in 3 reads and decodes to 1 message spanning them', async () => {
    const l = await fx.inspector.listen({ port: 0, accept: 'read' });
    framingOf(fx.inspector).setListenerFraming(l.id, LEN4);
    const id = await connectTo(fx.inspector, l.local.port);
    const accepted = (
      await until((e): e is EventOf<'socket/opened'> => e.type === 'socket/opened' && e.connection.parent === l.id)
    ).id;
    // 4-byte header + "hello" = 9 bytes, cut 3 / 3 / 3: the first read ends inside the header.
    const reply = await fx.inspector.send(id, { data: 'hello', framing: LEN4, split: { writes: 3, delayMs: 30 } });
    expect(reply).toMatchObject({ bytes: 9, writes: 3, stopped: null });
    await until((e): e is Data => isData(accepted, 'in')(e) && e.offset + e.length === 9);
    const { messages, pending, error } = framingOf(fx.inspector).messages(accepted, { direction: 'in' });
    expect(error).toBeNull();
    expect(pending).toBeNull();
    expect(messages).toHaveLength(1);
    expect(Buffer.from(messages[0]!.data, 'base64').toString()).toBe('hello');
    expect(messages[0]!.reads.length).toBeGreaterThanOrEqual(2);
    expect(messages[0]!.reads).toEqual(fx.inspector.chunks(accepted, { direction: 'in' }).chunks.map((c) => c.index));
  });
});

describe('stopping early', () => {
  it('the peer resets mid-send: resolves with stopped naming why, fewer writes than planned', async () => {
    const rst = teardown.add(await resetOnAccept('data'));
    const id = await connectTo(fx.inspector, rst.port);
    const reply = await fx.inspector.send(id, { data: 'x'.repeat(10), split: { writes: 10, delayMs: 30 } });
    expect(reply.writes).toBeGreaterThanOrEqual(1);
    expect(reply.writes).toBeLessThan(10);
    expect(reply.stopped).toMatch(new RegExp(`^connection (failed|closing).* after ${reply.writes} of 10 writes$`));
    expect(reply.bytes).toBe(reply.writes);
    expect(outEvents(fx.inspector, id)).toHaveLength(reply.writes);
    expect(fx.inspector.getConnection(id).bytesOut).toBe(reply.bytes);
  });

  it('our own reset mid-send ends it at once: its 10 s timer does not hold the reply', async () => {
    const p = await recordingPeer();
    const id = await connectTo(fx.inspector, p.port);
    const pending = fx.inspector.send(id, { data: 'ab', split: { writes: 2, delayMs: 10_000 } });
    await p.readsUpTo(1);
    fx.inspector.reset(id);
    const reply = await within(pending, 2000, 'the stopped send');
    expect(reply).toMatchObject({ bytes: 1, writes: 1, stopped: 'connection closed after 1 of 2 writes' });
  });

  it('dispose mid-send resolves the send with stopped and leaves no timer', async () => {
    const own = new Inspector();
    teardown.defer(() => own.dispose());
    const p = await recordingPeer();
    const id = await connectTo(own, p.port);
    const pending = own.send(id, { data: 'ping', repeat: { count: 2, intervalMs: 10_000 } });
    await p.readsUpTo(4);
    await own.dispose();
    const reply = await within(pending, 2000, 'the stopped send');
    expect(reply).toMatchObject({ bytes: 4, writes: 1, stopped: 'sockscope is shutting down after 1 of 2 writes' });
    await expect(own.send(id, { data: 'x' })).rejects.toMatchObject({ statusCode: 503 });
  });

  // Fills a 1 MiB queue (and the socket buffers before it) towards a peer that never reads: above the default 5 s on
  // a busy machine.
  it('a queue filling mid-send stops it ("queue full"); a first write that cannot fit is refused with 429', async () => {
    const limit = 1 << 20;
    const own = new Inspector({ limits: { maxQueuedBytesPerConnection: limit } });
    teardown.defer(() => own.dispose());
    const l = await own.listen({ port: 0, accept: 'hold' });
    const id = await connectTo(own, l.local.port);
    // Fill the kernel's buffers until Node starts queueing; from then on every byte written stays queued.
    const chunk = Buffer.alloc(256 * 1024, 1).toString('base64');
    for (let i = 0; i < 200 && own.getConnection(id).queuedBytes === 0; i++)
      await own.send(id, { data: chunk, encoding: 'base64' });
    const half = 100_000;
    const topUp = limit - half - 1000 - own.getConnection(id).queuedBytes;
    await own.send(id, { data: Buffer.alloc(topUp, 2).toString('base64'), encoding: 'base64' });
    const before = own.getConnection(id).bytesOut;
    // No delay: both halves go in one tick, so nothing can drain between them; the second passes the limit.
    const reply = await own.send(id, { data: 'y'.repeat(2 * half), split: { writes: 2 } });
    expect(reply).toMatchObject({ bytes: half, writes: 1, bytesOut: before + half });
    expect(reply.stopped).toMatch(/^queue full \(.*maxQueuedBytesPerConnection.*\) after 1 of 2 writes$/);
    await expect(own.send(id, { data: 'z'.repeat(2 * half), split: { writes: 2 } })).rejects.toMatchObject({
      code: 'LIMIT_REACHED',
      statusCode: 429,
      extra: { limit: 'maxQueuedBytesPerConnection' },
    });
    expect(own.getConnection(id).bytesOut).toBe(before + half);
    assertLogValid(own);
  }, 20_000);
});

describe('refused plans write nothing', () => {
  it('400 naming the field for a bad split, too many writes, a schedule over 60 s; 413 for a total over the queue limit', async () => {
    const own = new Inspector({ limits: { maxQueuedBytesPerConnection: 1000 } });
    teardown.defer(() => own.dispose());
    const p = await recordingPeer();
    const id = await connectTo(own, p.port);
    const refusals: Array<[SendBody, object]> = [
      [
        { data: 'abc', split: { writes: 4 } },
        { code: 'BAD_REQUEST', statusCode: 400, extra: { field: 'split.writes' } },
      ],
      [
        { data: 'abcdefgh', split: { writes: 8, delayMs: 10_000 } },
        { code: 'BAD_REQUEST', statusCode: 400, extra: { field: 'split.delayMs' } },
      ],
      [
        { data: 'ab', repeat: { count: 3, intervalMs: 40_000 } },
        { code: 'BAD_REQUEST', statusCode: 400, extra: { field: 'repeat.intervalMs' } },
      ],
      [
        { data: 'abc', split: { writes: 0 } },
        { code: 'BAD_REQUEST', statusCode: 400, extra: { field: 'split.writes' } },
      ],
      [
        { data: 'abc', repeat: { count: 0 } },
        { code: 'BAD_REQUEST', statusCode: 400, extra: { field: 'repeat.count' } },
      ],
      [
        { data: 'x'.repeat(100), repeat: { count: 11 } },
        {
          code: 'PAYLOAD_TOO_LARGE',
          statusCode: 413,
          extra: { field: 'repeat.count', limit: 'maxQueuedBytesPerConnection' },
        },
      ],
    ];
    for (const [body, error] of refusals)
      await expect(own.send(id, body), JSON.stringify(body)).rejects.toMatchObject(error);
    expect(own.getConnection(id)).toMatchObject({ bytesOut: 0, chunksOut: 0 });
    expect(outEvents(own, id)).toEqual([]);
    // Exactly at the limit is fine.
    expect(await own.send(id, { data: 'x'.repeat(100), repeat: { count: 10 } })).toMatchObject({ bytes: 1000 });
    assertLogValid(own);
  });
});

describe('over REST', () => {
  it('POST /send with split and repeat answers once the writes are made; bad split bodies are 400', async () => {
    const p = await recordingPeer();
    const s = await startApp({ uiDir: null });
    teardown.defer(() => s.close());
    const opened = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: p.port });
    expect(opened.json.state).toBe('open');
    const id = opened.json.id as string;
    const send = (body: unknown) => s.api('POST', `/api/connections/${id}/send`, body);

    const res = await send({ data: 'abcd', split: { writes: 2, delayMs: 30 }, repeat: { count: 2, intervalMs: 30 } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id, bytes: 8, bytesOut: 8, queuedBytes: expect.any(Number), writes: 4, stopped: null });
    expect(await p.readsUpTo(8)).toEqual(['ab', 'cd', 'ab', 'cd']);

    for (const body of [
      { data: 'abcd', split: { writes: 0 } },
      { data: 'abcd', split: { writes: 2, pauseMs: 5 } },
      { data: 'abcd', repeat: { count: 2, every: 5 } },
      { data: 'abc', split: { writes: 4 } },
    ]) {
      const bad = await send(body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.error).toMatchObject({ code: 'BAD_REQUEST', field: expect.stringMatching(/^(split|repeat)/) });
    }
    expect((await s.api('GET', `/api/connections/${id}`)).json.bytesOut).toBe(8);
  });
});
