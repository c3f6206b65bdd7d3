// readInto() leans on Node internals (kBuffer/kBufferCb and the handle's useUserBuffer): these tests fail loudly if a
// Node release takes the fast path away or changes what the socket does once it is on it.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { READ_BUFFER_BYTES, readInto } from '../../../backend/inspector/read-into';
import { destroySocket, within } from '../../helpers/loopback';
import { pseudoRandom } from '../../helpers/pseudo-random';

const MiB = 1 << 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sockets: net.Socket[] = [];
const servers: net.Server[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) await destroySocket(s);
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** What one side read through readInto: copies of each view, and the views' backing memory. */
class Reads {
  readonly copies: Buffer[] = [];
  readonly backing = new Set<ArrayBufferLike>();
  largest = 0;
  total = 0;
  private waiters: Array<{ bytes: number; resolve: () => void }> = [];

  readonly onRead = (view: Buffer): void => {
    this.copies.push(Buffer.from(view)); // the view is valid only until this returns
    this.backing.add(view.buffer);
    this.largest = Math.max(this.largest, view.length);
    this.total += view.length;
    for (const w of this.waiters.filter((w) => this.total >= w.bytes)) w.resolve();
  };

  /** Resolves once `bytes` bytes in all have been read. */
  reached(bytes: number): Promise<void> {
    if (this.total >= bytes) return Promise.resolve();
    return within(
      new Promise<void>((resolve) => this.waiters.push({ bytes, resolve })),
      5000,
      `reading ${bytes} bytes`,
    );
  }

  all(): Buffer {
    return Buffer.concat(this.copies);
  }
}

interface Pair {
  /** The side switched to readInto (the server's accepted socket, or the client's). */
  reader: net.Socket;
  writer: net.Socket;
  reads: Reads;
  /** What readInto returned. */
  switched: boolean;
  /** What a second readInto on the same socket returned. */
  again: boolean;
}

/** A loopback pair with readInto called where the inspector calls it: on 'connection', or on 'connect'. */
async function pair(side: 'accepted' | 'connected'): Promise<Pair> {
  const reads = new Reads();
  let switched = false;
  let again = true;
  const switchOver = (s: net.Socket) => {
    switched = readInto(s, reads.onRead);
    again = readInto(s, reads.onRead);
  };
  const accepted = new Promise<net.Socket>((resolve) => {
    const server = net.createServer({ allowHalfOpen: true }, (s) => {
      sockets.push(s);
      s.on('error', () => {});
      if (side === 'accepted') switchOver(s);
      resolve(s);
    });
    servers.push(server);
    server.listen({ host: '127.0.0.1', port: 0 });
  });
  const server = servers[servers.length - 1]!;
  await within(new Promise((resolve) => server.once('listening', resolve)), 3000, 'listen');
  const client = net.connect({
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    allowHalfOpen: true,
  });
  sockets.push(client);
  client.on('error', () => {});
  await within(
    new Promise<void>((resolve) =>
      client.once('connect', () => {
        if (side === 'connected') switchOver(client);
        resolve();
      }),
    ),
    3000,
    'connect',
  );
  const serverSide = await within(accepted, 3000, 'accept');
  const [reader, writer] = side === 'accepted' ? [serverSide, client] : [client, serverSide];
  return { reader, writer, reads, switched, again };
}

const ended = (s: net.Socket) => within(new Promise((resolve) => s.once('end', resolve)), 5000, "the reader's 'end'");

describe.each(['accepted', 'connected'] as const)('readInto on a %s socket', (side) => {
  it('takes the fast path, once', async () => {
    const p = await pair(side);
    expect(p.switched).toBe(true); // false: Node no longer offers kBuffer/useUserBuffer here
    expect(p.again).toBe(false);
  });

  // 4 MiB through a real socket pair, and `ended` alone may wait 5 s (vitest's default for the whole test).
  it('delivers 4 MiB in order through one reused buffer, then the end', async () => {
    const p = await pair(side);
    let dataEvents = 0;
    p.reader.on('data', () => dataEvents++);
    const end = ended(p.reader);
    const sent = pseudoRandom(4 * MiB, side === 'accepted' ? 1 : 2);
    for (let at = 0; at < sent.length; at += 300_000) p.writer.write(sent.subarray(at, at + 300_000));
    p.writer.end();
    await end;
    expect(p.reads.total).toBe(sent.length);
    expect(p.reads.all().equals(sent)).toBe(true);
    // Every read landed in the same memory: Node's own path would allocate a buffer per read.
    expect(p.reads.backing.size).toBe(1);
    expect(p.reads.largest).toBeLessThanOrEqual(READ_BUFFER_BYTES);
    expect(dataEvents).toBe(0);
  }, 20_000);

  it('pause() stops reading until resume()', async () => {
    const p = await pair(side);
    const first = pseudoRandom(1000, 3);
    p.writer.write(first);
    await p.reads.reached(first.length);
    p.reader.pause();
    const second = pseudoRandom(200_000, 4);
    p.writer.write(second);
    await sleep(150);
    expect(p.reads.total).toBe(first.length);
    p.reader.resume();
    await p.reads.reached(first.length + second.length);
    expect(p.reads.all().equals(Buffer.concat([first, second]))).toBe(true);
  });
});

it('says no on a socket that has no handle yet', () => {
  const s = new net.Socket();
  expect(readInto(s, () => {})).toBe(false);
  s.destroy();
});
