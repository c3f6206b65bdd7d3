// The first bytes survive a flood: a peer sends `hello\nworld\nbye\n`, then 8 MiB; the chunks API still has that first
// read (the head, captureHeadBytes) and the newest bytes, with the gap between them counted. Before, the capture kept
// only the newest 1 MiB and the first read, what the user came to see, was gone.
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { ChunksReplySchema, type Chunk, type ChunksReply, type InspectorEvent } from '../../../shared';
import type { StartedApp, StreamClient } from '../../helpers/app';
import { useApp } from '../../helpers/app-fixture';
import { dial } from '../../helpers/loopback';

const checkChunks = Compile(ChunksReplySchema);
const FIRST = 'hello\nworld\nbye\n';
type Opened = Extract<InspectorEvent, { type: 'socket/opened' }>;
type Data = Extract<InspectorEvent, { type: 'socket/data' }>;

const fx = useApp();

/** 8 MiB in 128 lines of 64 KiB, each of its own letter: few messages, and every byte says where it belongs. */
const FLOOD = Buffer.concat(
  Array.from({ length: 128 }, (_, i) => Buffer.alloc(64 * 1024, 0x61 + (i % 26)).fill(0x0a, 64 * 1024 - 1)),
);

async function accepted(app: StartedApp, stream: StreamClient, listenerId?: string) {
  const listener = listenerId ?? (await app.api('POST', '/api/listeners', { port: 0 })).json.id;
  const port = (await app.api('GET', `/api/listeners/${listener}`)).json.local.port as number;
  const client = await dial(port);
  fx.sockets.push(client);
  const opened = await stream.waitFor<Opened>(
    (f) => f.type === 'socket/opened' && f.connection.remote?.port === client.localPort,
  );
  return { listener: listener as string, client, id: opened.id };
}

/** Writes and waits until sockscope has read up to stream offset `upTo`. */
async function send(stream: StreamClient, id: string, client: net.Socket, bytes: Buffer | string, upTo: number) {
  client.write(bytes);
  await stream.waitFor<Data>(
    (f) => f.type === 'socket/data' && f.id === id && f.direction === 'in' && f.offset + f.length >= upTo,
    10_000,
  );
}

async function chunks(id: string): Promise<ChunksReply> {
  const r = await fx.app.api('GET', `/api/connections/${id}/chunks?direction=in&limit=10000`);
  expect(r.status).toBe(200);
  expect(checkChunks.Check(r.json)).toBe(true);
  return r.json as ChunksReply;
}

const bytesOf = (c: Chunk) => Buffer.from(c.data, 'base64');
const total = FIRST.length + FLOOD.length;

describe('capture head and tail', () => {
  it('hello, then 8 MiB: the first read and the newest bytes are both there, the gap between them counted', async () => {
    const app = await fx.start();
    const stream = await app.stream();
    const { client, id } = await accepted(app, stream);
    await send(stream, id, client, FIRST, FIRST.length);
    await send(stream, id, client, FLOOD, total);

    const reply = await chunks(id);
    const [first] = reply.chunks;
    expect([first!.index, first!.offset, bytesOf(first!).toString()]).toEqual([1, 0, FIRST]);
    // Every chunk held is exactly the bytes sent at its offset: the head's and the newest.
    const sent = Buffer.concat([Buffer.from(FIRST), FLOOD]);
    for (const c of reply.chunks) expect(bytesOf(c).equals(sent.subarray(c.offset, c.offset + c.length))).toBe(true);
    const last = reply.chunks.at(-1)!;
    expect(last.offset + last.length).toBe(total);
    // One gap: from the end of the head to the first of the newest chunks; nothing else is missing.
    expect(reply.gaps).toHaveLength(1);
    const gap = reply.gaps![0]!;
    expect(gap.direction).toBe('in');
    const afterGap = reply.chunks.find((c) => c.offset >= gap.end)!;
    expect(afterGap.offset).toBe(gap.end);
    const head = reply.chunks.filter((c) => c.offset < gap.start);
    expect(head.reduce((n, c) => n + c.length, 0)).toBe(gap.start);
    expect(gap.start).toBeLessThanOrEqual(256 * 1024); // captureHeadBytes
    expect(reply.droppedBytes).toBe(gap.end - gap.start);
    expect(reply.chunks.reduce((n, c) => n + c.length, 0) + reply.droppedBytes).toBe(total);

    // The messages reader decodes the head, says the gap was skipped, then decodes afresh after it.
    await app.api('PUT', `/api/connections/${id}/framing`, { framing: { kind: 'delimiter', delimiter: '\\n' } });
    const m = (await app.api('GET', `/api/connections/${id}/messages`)).json;
    const cut: [number, number, string][] = m.messages.map((x: { data: string; start: number; end: number }) => [
      x.start,
      x.end,
      Buffer.from(x.data, 'base64').subarray(0, 5).toString(),
    ]);
    expect(cut.slice(0, 4)).toEqual([
      [0, 6, 'hello'],
      [6, 12, 'world'],
      [12, 16, 'bye'],
      [16, 16 + 64 * 1024, 'aaaaa'],
    ]);
    // Past the gap decoding starts afresh at its end: the first message there is the rest of a line.
    const resumed = cut.find(([start]) => start >= gap.start)!;
    expect(resumed[0]).toBe(gap.end);
    expect((resumed[1] - 16) % (64 * 1024)).toBe(0);
    expect([m.skippedBytes, m.droppedMessages, m.error]).toEqual([gap.end - gap.start, 0, null]);
  }, 30_000);

  it('captureHeadBytes per listener (inherited from then on) and per connection, at run time', async () => {
    const app = await fx.start();
    const stream = await app.stream();
    const listener = (await app.api('POST', '/api/listeners', { port: 0 })).json.id as string;
    const set = await app.api('POST', `/api/listeners/${listener}/options`, { captureHeadBytes: 0 });
    expect(set.status).toBe(200);
    expect(set.json.captureHeadBytes).toBe(0);

    // Accepted after the listener's head was set to 0: the flood evicts the first read, as before.
    const a = await accepted(app, stream, listener);
    expect((await app.api('GET', `/api/connections/${a.id}`)).json.captureHeadBytes).toBe(0);
    await send(stream, a.id, a.client, FIRST, FIRST.length);
    await send(stream, a.id, a.client, FLOOD, total);
    const gone = await chunks(a.id);
    expect(gone.chunks[0]!.offset).toBeGreaterThan(0);
    expect(gone.gaps).toEqual([{ direction: 'in', start: 0, end: gone.chunks[0]!.offset }]);

    // The connection's own setting, given before its bytes come, keeps them again.
    const b = await accepted(app, stream, listener);
    const opt = await app.api('POST', `/api/connections/${b.id}/options`, { captureHeadBytes: 64 });
    expect([opt.status, opt.json.captureHeadBytes]).toEqual([200, 64]);
    await send(stream, b.id, b.client, FIRST, FIRST.length);
    await send(stream, b.id, b.client, FLOOD, total);
    const kept = await chunks(b.id);
    expect(bytesOf(kept.chunks[0]!).toString()).toBe(FIRST);
    expect(kept.gaps![0]!.start).toBe(FIRST.length); // a 64-byte head: the first read fits, the next does not
  }, 30_000);

  it('a bad head size is refused and changes nothing', async () => {
    const app = await fx.start();
    const stream = await app.stream();
    const { listener, id } = await accepted(app, stream);
    for (const body of [{ captureHeadBytes: -1 }, { captureHeadBytes: 1.5 }, { captureHeadBytes: 2 ** 31 }]) {
      const c = await app.api('POST', `/api/connections/${id}/options`, body);
      expect(c.status, JSON.stringify(body)).toBe(400);
      expect(c.json.error.code).toBeTypeOf('string');
      const l = await app.api('POST', `/api/listeners/${listener}/options`, body);
      expect(l.status, JSON.stringify(body)).toBe(400);
    }
    expect((await app.api('POST', `/api/listeners/${listener}/options`, { nope: 1 })).status).toBe(400);
    expect((await app.api('POST', '/api/listeners/l-999/options', { captureHeadBytes: 1 })).status).toBe(404);
    expect((await app.api('GET', `/api/connections/${id}`)).json.captureHeadBytes).toBe(256 * 1024);
    expect((await app.api('GET', `/api/listeners/${listener}`)).json.captureHeadBytes ?? null).toBeNull();
  });
});
