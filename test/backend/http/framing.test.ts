// Framing over real loopback: a plain client speaking a length-prefixed protocol to a sockscope listener, via REST.
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import {
  CHUNK_OVERHEAD_BYTES,
  MessagesReplySchema,
  type FramingRule,
  type InspectorEvent,
  type StreamFrame,
} from '../../../shared';
import type { StreamClient } from '../../helpers/app';
import { useApp } from '../../helpers/app-fixture';
import { LEN4, sendMessage } from '../../helpers/length-prefix';
import { dial, peer, within } from '../../helpers/loopback';

const checkMessages = Compile(MessagesReplySchema);
type Data = Extract<InspectorEvent, { type: 'socket/data' }>;

/** The classic recvall pattern on the other side: header, then exactly that many bytes. */
function recvall(socket: net.Socket): () => Promise<string> {
  let rest = Buffer.alloc(0);
  let wake = () => {};
  socket.on('data', (b: Buffer) => {
    rest = Buffer.concat([rest, b]);
    wake();
  });
  const need = async (n: number) => {
    while (rest.length < n) await within(new Promise<void>((resolve) => (wake = resolve)), 3000, `reading ${n} bytes`);
    const out = rest.subarray(0, n);
    rest = rest.subarray(n);
    return out;
  };
  return async () => (await need((await need(4)).readUInt32BE(0))).toString();
}

const fx = useApp();

async function framedListener(rule: FramingRule | null = LEN4) {
  const s = await fx.start();
  const stream = await s.stream();
  const listener = await s.api('POST', '/api/listeners', { port: 0 });
  const set = await s.api('PUT', `/api/listeners/${listener.json.id}/framing`, { framing: rule });
  expect(set.status).toBe(200);
  expect(set.json.framing).toEqual(rule);
  const client = await dial(listener.json.local.port as number);
  client.setNoDelay(true);
  fx.sockets.push(client);
  const opened = await stream.waitFor<Extract<InspectorEvent, { type: 'socket/opened' }>>(
    (f) => f.type === 'socket/opened' && f.connection.parent === listener.json.id,
  );
  expect(opened.connection.framing).toEqual(rule);
  return { app: s, stream, id: opened.id, client };
}

/** Writes and waits until sockscope has read every byte of it: one write, one read. */
async function writeRead(
  stream: StreamClient,
  id: string,
  client: net.Socket,
  bytes: Buffer,
  upTo: number,
): Promise<number> {
  client.write(bytes);
  const e = await stream.waitFor<Data>(
    (f: StreamFrame) => f.type === 'socket/data' && f.id === id && f.direction === 'in' && f.offset + f.length >= upTo,
  );
  expect(e.offset + e.length).toBe(upTo);
  return e.index;
}

async function messages(id: string, direction = 'in') {
  const r = await fx.app.api('GET', `/api/connections/${id}/messages?direction=${direction}`);
  expect(r.status).toBe(200);
  expect(checkMessages.Check(r.json)).toBe(true);
  return r.json;
}
const texts = (reply: { messages: { data: string }[] }) =>
  reply.messages.map((m) => Buffer.from(m.data, 'base64').toString());

describe('framing over loopback', () => {
  it('3 messages in 2 writes split mid-header: 3 messages from 2 reads, with the right reads', async () => {
    const { stream, id, client } = await framedListener();
    const stream3 = Buffer.concat(['first', 'second!', 'third'].map(sendMessage));
    const cut = 9 + 2; // two bytes into the second message's header
    const r1 = await writeRead(stream, id, client, stream3.subarray(0, cut), cut);
    const r2 = await writeRead(stream, id, client, stream3.subarray(cut), stream3.length);
    const reply = await messages(id);
    expect(texts(reply)).toEqual(['first', 'second!', 'third']);
    expect(reply.messages.map((m: { reads: number[] }) => m.reads)).toEqual([[r1], [r1, r2], [r2]]);
    expect(reply.messages.map((m: { start: number; end: number }) => [m.start, m.end])).toEqual([
      [0, 9],
      [9, 20],
      [20, 29],
    ]);
    expect(reply).toMatchObject({ framing: LEN4, pending: null, error: null, skippedBytes: 0, lastIndex: 3 });
  });

  it('the same stream written byte by byte decodes to the same messages, each spanning its bytes’ reads', async () => {
    const { stream, id, client } = await framedListener();
    const bytes = Buffer.concat(['a', '', 'xyz'].map(sendMessage));
    const reads: number[] = [];
    for (let i = 0; i < bytes.length; i++)
      reads.push(await writeRead(stream, id, client, bytes.subarray(i, i + 1), i + 1));
    const reply = await messages(id);
    expect(texts(reply)).toEqual(['a', '', 'xyz']);
    expect(reply.messages.map((m: { reads: number[] }) => m.reads)).toEqual([
      reads.slice(0, 5),
      reads.slice(5, 9),
      reads.slice(9),
    ]);
  });

  it('shows an incomplete tail as pending, and a header over the limit as an error', async () => {
    const { stream, id, client } = await framedListener();
    const r = await writeRead(
      stream,
      id,
      client,
      Buffer.concat([sendMessage('ok'), Buffer.from([0, 0, 0, 9, 65])]),
      11,
    );
    expect(await messages(id)).toMatchObject({
      pending: { start: 6, length: 5, reads: [r], data: Buffer.from([0, 0, 0, 9, 65]).toString('base64') },
      error: null,
    });
    await writeRead(stream, id, client, Buffer.from('BCDEFGHI\x7f\xff\xff\xff', 'latin1'), 23);
    const bad = await messages(id);
    expect(texts(bad)).toEqual(['ok', 'ABCDEFGHI']);
    expect(bad.error).toMatch(/announces 2147483647 bytes/);
  });

  it('a rule set after the bytes arrived decodes what is captured; clearing it stops decoding', async () => {
    const { stream, id, client } = await framedListener(null);
    await writeRead(stream, id, client, Buffer.from('one\r\ntwo\r\nthr'), 13);
    expect(await messages(id)).toMatchObject({ framing: null, messages: [], pending: null });
    const set = await fx.app.api('PUT', `/api/connections/${id}/framing`, {
      framing: { kind: 'delimiter', delimiter: '\\r\\n' },
    });
    expect(set.json.framing).toEqual({ kind: 'delimiter', delimiter: '\\r\\n' });
    expect(texts(await messages(id))).toEqual(['one', 'two']);
    await writeRead(stream, id, client, Buffer.from('ee\r\n'), 17);
    expect(texts(await messages(id))).toEqual(['one', 'two', 'three']);
    expect((await fx.app.api('PUT', `/api/connections/${id}/framing`, { framing: null })).json.framing).toBeNull();
    expect((await messages(id)).framing).toBeNull();
  });

  it('send with framing frames the payload; a recvall peer reads each message; /messages?direction=out lists them', async () => {
    const received: string[] = [];
    const server = await peer();
    const s = await fx.start();
    try {
      const c = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: server.port });
      const id = c.json.id as string;
      await s.api('PUT', `/api/connections/${id}/framing`, { framing: LEN4 });
      const socket = await server.accepted();
      const recvMessage = recvall(socket);
      const sent = await s.api('POST', `/api/connections/${id}/send`, {
        data: 'PING\\x00\\n',
        encoding: 'escaped',
        framing: LEN4,
      });
      expect(sent.json.bytes).toBe(4 + 6);
      received.push(await recvMessage());
      await s.api('POST', `/api/connections/${id}/send`, { data: 'aGk=', encoding: 'base64', framing: LEN4 });
      received.push(await recvMessage());
      expect(received).toEqual(['PING\0\n', 'hi']);
      expect(texts(await messages(id, 'out'))).toEqual(['PING\0\n', 'hi']);
    } finally {
      await server.close();
    }
  });

  it('rejects bad rules and unframeable payloads precisely, writing nothing', async () => {
    const { id, app } = await framedListener();
    const cases: [string, string, unknown, string, RegExp][] = [
      ['PUT', `/api/connections/${id}/framing`, { framing: { kind: 'length', bytes: 3 } }, 'BAD_REQUEST', /bytes/],
      [
        'PUT',
        `/api/connections/${id}/framing`,
        { framing: { kind: 'delimiter', delimiter: '\\q' } },
        'BAD_REQUEST',
        /unknown escape "\\\\q" at position 0/,
      ],
      ['PUT', `/api/connections/${id}/framing`, {}, 'BAD_REQUEST', /framing/],
      [
        'POST',
        `/api/connections/${id}/send`,
        { data: 'abc', framing: { kind: 'fixed', size: 4 } },
        'BAD_PAYLOAD',
        /exactly 4 bytes/,
      ],
      ['POST', `/api/connections/${id}/send`, { data: 'a\\', encoding: 'escaped' }, 'BAD_PAYLOAD', /position 1/],
    ];
    for (const [method, path, body, code, message] of cases) {
      const r = await app.api(method, path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe(code);
      expect(r.json.error.message).toMatch(message);
    }
    expect((await app.api('GET', `/api/connections/${id}`)).json.bytesOut).toBe(0);
    expect((await app.api('GET', '/api/connections/c-999/messages')).status).toBe(404);
    expect((await app.api('PUT', '/api/listeners/l-999/framing', { framing: null })).status).toBe(404);
  });

  it('when capture eviction dropped bytes before the rule was set, decodes what is left and says so', async () => {
    // Room for the newest 16 bytes in 2 chunks (each costs its heap overhead too); no head, so they are the whole capture.
    const s = await fx.start({
      limits: { capturePerConnectionBytes: 16 + 2 * CHUNK_OVERHEAD_BYTES, captureHeadBytes: 0 },
    });
    const stream = await s.stream();
    const listener = await s.api('POST', '/api/listeners', { port: 0 });
    const client = await dial(listener.json.local.port as number);
    fx.sockets.push(client);
    const opened = await stream.waitFor<Extract<InspectorEvent, { type: 'socket/opened' }>>(
      (f) => f.type === 'socket/opened' && f.connection.kind === 'accepted',
    );
    await writeRead(stream, opened.id, client, Buffer.from('0123456789\n'), 11);
    await writeRead(stream, opened.id, client, Buffer.from('abc\nde'), 17);
    await s.api('PUT', `/api/connections/${opened.id}/framing`, { framing: { kind: 'delimiter', delimiter: '\\n' } });
    const reply = await messages(opened.id);
    expect(reply).toMatchObject({ skippedBytes: 11, pending: { start: 15, length: 2 } });
    expect(texts(reply)).toEqual(['abc']);
  });
});
