// Bytes queued in sockscope for peers that do not read: refused past the per-connection default, and past the total
// of all connections together; echo stops reading at the total too. Real peers that never read (accept: 'hold').
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type SendBody } from '../../../shared';
import type { Inspector } from '../../../backend/inspector/inspector';
import { destroySocket, isState, waitForEvent, within } from '../../helpers/loopback';
import { useInspectors } from '../../helpers/inspector-fixture';

const MiB = 1 << 20;
const mib = Buffer.alloc(MiB, 0x5a).toString('base64');
const oneMiB: SendBody = { data: mib, encoding: 'base64' };

const { make, teardown } = useInspectors();

/** A client connection to a listener of the same inspector that accepts but never reads. */
async function stalled(inspector: Inspector): Promise<string> {
  const listener = await inspector.listen({ port: 0, accept: 'hold' });
  const row = inspector.openConnection({ host: '127.0.0.1', port: listener.local.port });
  await waitForEvent(inspector, isState(row.id, 'open'), 3000, 0);
  return row.id;
}

/** Sends 1 MiB at a time until a send is refused (or `max` sends were taken); the refusal and what was sent. */
async function sendUntilRefused(inspector: Inspector, id: string, max: number) {
  let sent = 0;
  for (let i = 0; i < max; i++) {
    try {
      sent += (await inspector.send(id, oneMiB)).bytes;
    } catch (err) {
      return { refused: err, sent };
    }
  }
  return { refused: null, sent };
}

describe('the default per-connection bound', () => {
  it(`refuses a send past ${DEFAULT_LIMITS.maxQueuedBytesPerConnection / MiB} MiB queued for a peer that never reads`, async () => {
    const inspector = make();
    const id = await stalled(inspector);
    // The kernel takes the first few MiB (both socket buffers); everything after that waits in sockscope.
    const { refused, sent } = await sendUntilRefused(inspector, id, 48);
    expect(refused).toMatchObject({
      code: 'LIMIT_REACHED',
      statusCode: 429,
      extra: { limit: 'maxQueuedBytesPerConnection' },
    });
    const row = inspector.getConnection(id);
    expect(row.bytesOut).toBe(sent);
    expect(row.queuedBytes).toBeGreaterThan(DEFAULT_LIMITS.maxQueuedBytesPerConnection - MiB);
    expect(row.queuedBytes).toBeLessThanOrEqual(DEFAULT_LIMITS.maxQueuedBytesPerConnection);
    expect(sent).toBeLessThan(32 * MiB);
  }, 20_000);

  it('refuses one send that makes more bytes than the bound with 413, writing nothing', async () => {
    const inspector = make();
    const id = await stalled(inspector);
    const count = DEFAULT_LIMITS.maxQueuedBytesPerConnection / MiB + 1;
    await expect(inspector.send(id, { ...oneMiB, repeat: { count } })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      statusCode: 413,
      extra: { limit: 'maxQueuedBytesPerConnection', field: 'repeat.count' },
    });
    expect(inspector.getConnection(id).bytesOut).toBe(0);
  });
});

describe('the total over all connections', () => {
  it('refuses a send on a second connection once both together would pass maxQueuedBytesTotal', async () => {
    const inspector = make({ maxQueuedBytesPerConnection: 4 * MiB, maxQueuedBytesTotal: 6 * MiB });
    const a = await stalled(inspector);
    const b = await stalled(inspector);
    const first = await sendUntilRefused(inspector, a, 40);
    expect(first.refused).toMatchObject({ extra: { limit: 'maxQueuedBytesPerConnection' } });
    const queuedA = inspector.getConnection(a).queuedBytes;
    expect(queuedA).toBeGreaterThan(3 * MiB); // refused: one more MiB would have passed 4 MiB

    // b's own kernel buffers first: once a reply shows bytes queued in sockscope, every further byte is counted.
    let queuedB = 0;
    for (let i = 0; i < 40 && queuedB === 0; i++) queuedB = (await inspector.send(b, oneMiB)).queuedBytes;
    expect(queuedB).toBeGreaterThan(0);
    const room = 6 * MiB - queuedA - queuedB; // at least 1 MiB: a holds at most 4 MiB, b at most the last 1 MiB

    // A send cut in pieces stops at the piece that would pass the total and says which limit stopped it; b's own
    // bound (4 MiB) is never the one in the way.
    const piece = 128 * 1024;
    const count = Math.ceil(room / piece) + 2;
    const data = Buffer.alloc(piece, 0x5a).toString('base64');
    const split = await inspector.send(b, { data, encoding: 'base64', repeat: { count } });
    expect(split.stopped).toMatch(
      new RegExp(
        `^queue full \\(\\d+ bytes still queued over all connections; maxQueuedBytesTotal is 6291456\\) after \\d+ of ${count} writes$`,
      ),
    );
    expect(split.writes).toBeGreaterThan(0);
    await expect(inspector.send(b, oneMiB)).rejects.toMatchObject({
      code: 'LIMIT_REACHED',
      statusCode: 429,
      extra: { limit: 'maxQueuedBytesTotal' },
      message: expect.stringContaining('would pass the limit maxQueuedBytesTotal (6291456)'),
    });
    queuedB = inspector.getConnection(b).queuedBytes;
    expect(queuedA + queuedB).toBeLessThanOrEqual(6 * MiB);
    expect(queuedA + queuedB).toBeGreaterThan(6 * MiB - piece);
    expect(queuedB).toBeLessThan(3 * MiB);

    // The count is live: once a's queue is gone (reset), b has room again.
    inspector.reset(a);
    await waitForEvent(inspector, isState(a, 'closed'), 3000, 0);
    expect((await inspector.send(b, oneMiB)).bytes).toBe(MiB);
  }, 20_000);

  it('refuses one send larger than the total when the total is the smaller bound, naming it', async () => {
    const inspector = make({ maxQueuedBytesPerConnection: 8 * MiB, maxQueuedBytesTotal: 2 * MiB });
    const id = await stalled(inspector);
    await expect(inspector.send(id, { ...oneMiB, repeat: { count: 3 } })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      extra: { limit: 'maxQueuedBytesTotal', field: 'repeat.count' },
      message: 'this send makes 3145728 bytes in all; the limit maxQueuedBytesTotal is 2097152',
    });
  });

  it('echo to a peer that never reads stops reading at the total, far below its own bound', async () => {
    const total = MiB;
    const inspector = make({ maxQueuedBytesPerConnection: 64 * MiB, maxQueuedBytesTotal: total });
    const listener = await inspector.listen({ port: 0, accept: 'echo' });
    const peer = net.connect({ host: '127.0.0.1', port: listener.local.port });
    peer.on('error', () => {});
    teardown.defer(() => destroySocket(peer));
    peer.pause(); // reads nothing: the echo piles up in the kernel, then in sockscope
    await within(new Promise((r) => peer.once('connect', r)), 3000, 'connect');
    const sent = 32 * MiB;
    const payload = Buffer.alloc(sent, 7);
    peer.write(payload);
    const acc = (
      await waitForEvent(inspector, (e) => e.type === 'socket/opened' && e.connection.kind === 'accepted', 3000, 0)
    ).id;
    await waitForEvent(inspector, (e) => e.type === 'socket/queue' && e.id === acc && e.queuedBytes >= total, 5000, 0);
    const held = inspector.getConnection(acc);
    // Past the total by at most Node's highWaterMark (16 KiB) and one read (64 KiB).
    expect(held.queuedBytes).toBeLessThanOrEqual(total + 80 * 1024);
    expect(held.bytesIn).toBeLessThan(sent);
    peer.resume();
    const echoed = await within(readAll(peer, sent), 15_000, 'reading the echo');
    expect(echoed.equals(payload)).toBe(true);
  }, 30_000);
});

async function readAll(socket: net.Socket, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of socket) {
    parts.push(chunk as Buffer);
    n += (chunk as Buffer).length;
    if (n >= bytes) break;
  }
  return Buffer.concat(parts);
}
