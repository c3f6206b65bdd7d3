// Unfinished frames are bounded: real peers announce frames larger than the limits, sockscope decodes over REST, and
// the pending bytes stay within framingPendingPerConnectionBytes / framingPendingTotalBytes, the drop counted and the
// error on the row and in the Messages reply. (Before: up to 16 MiB per direction per connection, outside every cap.)
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { ConnectionRowSchema, MessagesReplySchema, type InspectorEvent, type MessagesReply } from '../../../shared';
import type { StartedApp, StreamClient } from '../../helpers/app';
import { useApp } from '../../helpers/app-fixture';
import { LEN4, unfinishedFrame } from '../../helpers/length-prefix';
import { dial } from '../../helpers/loopback';

const checkMessages = Compile(MessagesReplySchema);
const checkRow = Compile(ConnectionRowSchema);
const MiB = 1 << 20;
const KiB = 1024;
type Opened = Extract<InspectorEvent, { type: 'socket/opened' }>;
type Data = Extract<InspectorEvent, { type: 'socket/data' }>;

const fx = useApp();

async function framedListener(app: StartedApp, stream: StreamClient) {
  const listener = await app.api('POST', '/api/listeners', { port: 0 });
  expect((await app.api('PUT', `/api/listeners/${listener.json.id}/framing`, { framing: LEN4 })).status).toBe(200);
  return {
    /** A peer of the listener and the id of the connection sockscope accepted for it. */
    async peer(): Promise<{ client: net.Socket; id: string }> {
      const client = await dial(listener.json.local.port as number);
      fx.sockets.push(client);
      const opened = await stream.waitFor<Opened>(
        (f) => f.type === 'socket/opened' && f.connection.remote?.port === client.localPort,
      );
      return { client, id: opened.id };
    },
  };
}

/** Resolves once sockscope has read `total` bytes on connection `id`. */
const readAll = (stream: StreamClient, id: string, total: number) =>
  stream.waitFor<Data>(
    (f) => f.type === 'socket/data' && f.id === id && f.direction === 'in' && f.offset + f.length >= total,
    20_000,
  );

async function messages(id: string): Promise<MessagesReply> {
  const r = await fx.app.api('GET', `/api/connections/${id}/messages?direction=in`);
  expect(r.status).toBe(200);
  expect(checkMessages.Check(r.json)).toBe(true);
  return r.json as MessagesReply;
}

async function row(id: string) {
  const r = await fx.app.api('GET', `/api/connections/${id}`);
  expect(checkRow.Check(r.json)).toBe(true);
  return r.json as { framingError?: string | null; bytesIn: number };
}

// Each test moves 3-4 MiB from four peers and reads every byte back as WebSocket events (base64, schema-checked): on a
// busy machine that is seconds, so the default 5 s would be a guess. readAll waits 20 s at most.
describe('unfinished frames are bounded', { timeout: 30_000 }, () => {
  it('4 peers announce 16 MiB frames: each is a framing error at its header, nothing grows, the rest counted as dropped', async () => {
    const app = await fx.start({
      limits: { framingPendingPerConnectionBytes: MiB, framingPendingTotalBytes: 2 * MiB },
    });
    const stream = await app.stream();
    const l = await framedListener(app, stream);
    const peers = await Promise.all([0, 1, 2, 3].map(() => l.peer()));
    const frame = unfinishedFrame(16 * MiB, MiB);
    for (const p of peers) p.client.write(frame);
    await Promise.all(peers.map((p) => readAll(stream, p.id, frame.length)));

    let pending = 0;
    for (const p of peers) {
      const m = await messages(p.id);
      expect(m.error).toBe(
        'length header announces 16777216 bytes; the limit is 1048576 (framingPendingPerConnectionBytes) (frame at stream offset 0)',
      );
      // What stays is the read that carried the header (a preview of the bad frame); everything after it is dropped.
      const held = m.pending?.length ?? 0;
      expect(held).toBeLessThanOrEqual(64 * KiB);
      expect(m.droppedBytes).toBe(frame.length - held);
      expect(m.messages).toEqual([]);
      pending += held;
      const r = await row(p.id);
      expect(r.bytesIn).toBe(frame.length);
      expect(r.framingError).toBe(`in: ${m.error}`);
    }
    expect(pending).toBeLessThanOrEqual(MiB);
  });

  it('frames under the per-connection limit but past the total: the connections that pass it get the error, the others keep theirs', async () => {
    const app = await fx.start({
      limits: { framingPendingPerConnectionBytes: MiB, framingPendingTotalBytes: 2 * MiB },
    });
    const stream = await app.stream();
    const l = await framedListener(app, stream);
    const frame = unfinishedFrame(900 * KiB, 800 * KiB); // 800 KiB + 4 pending each: two fit in 2 MiB, three do not
    const peers = await Promise.all([0, 1, 2, 3].map(() => l.peer()));
    for (const p of peers) p.client.write(frame);
    await Promise.all(peers.map((p) => readAll(stream, p.id, frame.length)));

    const replies = await Promise.all(peers.map((p) => messages(p.id)));
    const failed = replies.filter((m) => m.error !== null);
    const holding = replies.filter((m) => m.error === null);
    expect([failed.length, holding.length]).toEqual([2, 2]);
    for (const m of failed) {
      expect(m.error).toMatch(
        /^unfinished frame dropped: unfinished frames of all connections would hold \d+ bytes; the limit is 2097152 \(framingPendingTotalBytes\) \(frame at stream offset 0\)$/,
      );
      expect([m.pending, m.droppedBytes]).toEqual([null, frame.length]);
      expect((await row(m.id)).framingError).toBe(`in: ${m.error}`);
    }
    for (const m of holding) {
      expect([m.pending?.length, m.droppedBytes]).toEqual([frame.length, 0]);
      expect((await row(m.id)).framingError).toBeNull();
    }

    // A connection that ends gives its unfinished frame's bytes back (its preview stays): a new peer fits again.
    for (const m of holding) {
      expect((await app.api('POST', `/api/connections/${m.id}/reset`)).json.state).toBe('closed');
      expect((await messages(m.id)).pending).toMatchObject({ start: 0, length: frame.length });
    }
    const late = await l.peer();
    late.client.write(frame);
    await readAll(stream, late.id, frame.length);
    expect(await messages(late.id)).toMatchObject({ error: null, pending: { length: frame.length } });
  });
});
