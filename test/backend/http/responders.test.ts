// Responders answering real clients over loopback: regex captures, framed replies, then-actions, echo, loop guard.
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { RespondersReplySchema, type InspectorEvent } from '../../../shared';
import { useApp } from '../../helpers/app-fixture';
import { LEN4, sendMessage } from '../../helpers/length-prefix';
import { dial, within } from '../../helpers/loopback';

const checkReply = Compile(RespondersReplySchema);
type Data = Extract<InspectorEvent, { type: 'socket/data' }>;
type Opened = Extract<InspectorEvent, { type: 'socket/opened' }>;

/** Everything the socket reads, and a way to wait for a predicate over it. */
function reader(socket: net.Socket) {
  let all = Buffer.alloc(0);
  let wake = () => {};
  socket.on('data', (b: Buffer) => {
    all = Buffer.concat([all, b]);
    wake();
  });
  return async (done: (all: Buffer) => boolean, what: string) => {
    while (!done(all)) await within(new Promise<void>((resolve) => (wake = resolve)), 3000, what);
    return all;
  };
}
/** recvall of 4-byte big-endian framed messages from a buffer. */
function unframe(all: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at + 4 <= all.length;) {
    const n = all.readUInt32BE(at);
    if (at + 4 + n > all.length) break;
    out.push(all.subarray(at + 4, at + 4 + n).toString());
    at += 4 + n;
  }
  return out;
}

const fx = useApp();

async function api(method: string, path: string, body?: unknown, status = 200) {
  const r = await fx.app.api(method, path, body);
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  if (status === 200 && path.endsWith('/responders')) expect(checkReply.Check(r.json)).toBe(true);
  return r.json;
}

async function listenerWithClient(setup: (listenerId: string) => Promise<void>) {
  const stream = await (await fx.start()).stream();
  const listener = await api('POST', '/api/listeners', { port: 0 }, 201);
  await setup(listener.id);
  const client = await dial(listener.local.port as number);
  client.setNoDelay(true);
  fx.sockets.push(client);
  const opened = await stream.waitFor<Opened>((f) => f.type === 'socket/opened' && f.connection.parent === listener.id);
  return { stream, listenerId: listener.id as string, id: opened.id, client, read: reader(client) };
}

describe('responders over loopback', () => {
  it('the done-when story: framed listener, 3 messages in 2 writes split mid-header, each answered with captures', async () => {
    const { stream, listenerId, id, client, read } = await listenerWithClient(async (l) => {
      await api('PUT', `/api/listeners/${l}/framing`, { framing: LEN4 });
      await api('PUT', `/api/listeners/${l}/responders`, {
        rules: [
          { match: { regex: '^PING (\\w+)' }, reply: { data: 'PONG $1', encoding: 'utf8' } },
          { match: { equals: 'BYE' }, reply: { data: 'bye ($0) $$1' }, then: 'half-close' },
        ],
      });
    });
    const bytes = Buffer.concat(['PING alpha', 'PING b2', 'BYE'].map(sendMessage));
    const cut = 14 + 2;
    client.write(bytes.subarray(0, cut));
    await stream.waitFor<Data>((f) => f.type === 'socket/data' && f.id === id && f.direction === 'in');
    client.write(bytes.subarray(cut));
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    const all = await read((b) => unframe(b).length === 3, 'three replies');
    expect(unframe(all)).toEqual(['PONG alpha', 'PONG b2', 'bye (BYE) $1']);
    await within(ended, 3000, 'the FIN after BYE');

    const messages = await api('GET', `/api/connections/${id}/messages?direction=in`);
    expect(messages.messages.map((m: { reads: number[] }) => m.reads.length)).toEqual([1, 2, 1]);
    expect((await api('GET', `/api/connections/${id}/messages?direction=out`)).messages).toHaveLength(3);
    const view = await api('GET', `/api/listeners/${listenerId}/responders`);
    expect(view).toMatchObject({ mode: 'rules', replies: 3, suppressed: 0, lastError: null });
    expect(view.rules.map((r: { hits: number }) => r.hits)).toEqual([2, 1]);
    expect((await api('GET', `/api/connections/${id}`)).state).toBe('half-closed-local');
  });

  it('on raw reads without framing: startsWith with a delay, a hex reply, then reset', async () => {
    const { stream, id, client, read } = await listenerWithClient(async () => {});
    await api('PUT', `/api/connections/${id}/responders`, {
      rules: [
        { match: { contains: 'nothing-like-this' }, reply: { data: 'no' } },
        {
          match: { startsWith: '\\x01\\x02', encoding: 'escaped' },
          reply: { data: '4f 4b', encoding: 'hex' },
          delayMs: 20,
          then: 'reset',
        },
      ],
    });
    // Linux: a RST right behind data may reach a Node peer as a plain EOF; sockscope's side is what we check.
    const gone = new Promise<void>((resolve) => {
      client.once('error', () => resolve());
      client.once('end', () => resolve());
    });
    client.write(Buffer.from([1, 2, 3]));
    expect((await read((b) => b.length >= 2, 'the reply')).toString()).toBe('OK');
    await within(gone, 3000, 'the RST');
    const state = await stream.waitFor<Extract<InspectorEvent, { type: 'socket/state' }>>(
      (f) => f.type === 'socket/state' && f.id === id && f.to === 'closed',
    );
    expect(state.cause).toBe('reset');
    const view = await api('GET', `/api/connections/${id}/responders`);
    expect(view.rules.map((r: { hits: number }) => r.hits)).toEqual([0, 1]);
  });

  it('echo mode writes every read back, as ordinary captured writes', async () => {
    const { stream, id, client, read } = await listenerWithClient(async () => {});
    expect(await api('PUT', `/api/connections/${id}/responders`, { mode: 'echo' })).toMatchObject({ mode: 'echo' });
    client.write('hello');
    expect((await read((b) => b.length >= 5, 'the echo')).toString()).toBe('hello');
    await stream.waitFor<Data>((f) => f.type === 'socket/data' && f.id === id && f.direction === 'out');
    expect(await api('GET', `/api/connections/${id}/responders`)).toMatchObject({ echoes: 1, replies: 1 });
    expect(await api('PUT', `/api/connections/${id}/responders`, { mode: 'off' })).toMatchObject({ mode: 'off' });
  });

  it('two sockscope echoes facing each other: the loop is capped per second and the skipped replies counted', async () => {
    const stream = await (await fx.start()).stream();
    const listener = await api('POST', '/api/listeners', { port: 0 }, 201);
    await api('PUT', `/api/listeners/${listener.id}/responders`, { mode: 'echo' });
    const client = await api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: listener.local.port }, 201);
    await api('PUT', `/api/connections/${client.id}/responders`, { mode: 'echo' });
    await api('POST', `/api/connections/${client.id}/send`, { data: 'x' });
    await stream.waitFor(() => {
      const c = stream.events.filter((e) => e.type === 'socket/data' && e.direction === 'out').length;
      return c >= 200;
    });
    // Whichever side hit the cap first stopped answering: the loop is over, and nothing more is written.
    const a = await api('GET', `/api/connections/${client.id}/responders`);
    const b = await api('GET', `/api/listeners/${listener.id}/responders`);
    expect(a.suppressed + b.suppressed).toBe(1);
    expect(a.replies).toBeLessThanOrEqual(100);
    expect(b.replies).toBeLessThanOrEqual(100);
    expect(a.replies + b.replies).toBeGreaterThanOrEqual(199);
  });

  it('rejects bad rules naming the field, and keeps the previous set', async () => {
    const { id } = await listenerWithClient(async () => {});
    await api('PUT', `/api/connections/${id}/responders`, { mode: 'echo' });
    const cases: [unknown, RegExp, string | undefined][] = [
      [{ rules: [{ match: { regex: '(' } }] }, /rules\[0\]\.match\.regex/, 'rules[0].match.regex'],
      [
        { rules: [{ reply: { data: 'zz', encoding: 'hex' } }] },
        /rules\[0\]\.reply\.data: invalid hex character "z" at position 0/,
        'rules[0].reply.data',
      ],
      [{ rules: [{ match: { equals: '\\q', encoding: 'escaped' } }] }, /rules\[0\]\.match\.equals/, undefined],
      [{ mode: 'echo', rules: [{}] }, /takes no rules/, 'rules'],
      [{ rules: [{ match: { regex: 'a', flags: 'g' } }] }, /match/, undefined],
    ];
    for (const [body, message, field] of cases) {
      const r = await fx.app.api('PUT', `/api/connections/${id}/responders`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.message).toMatch(message);
      if (field) expect(r.json.error.field).toBe(field);
    }
    expect((await api('GET', `/api/connections/${id}/responders`)).mode).toBe('echo');
  });
});
