// Memory as the kernel sees it: sockscope runs as its own process (as `npm start` runs it) with small caps, and real
// peers flood it with 1-byte writes and with frames that never finish. Its resident set (VmRSS, sampled throughout)
// must grow by no more than its caps and a stated margin. Before: tiny reads were counted as their payload only, and
// a decoder kept up to 16 MiB of each unfinished frame outside every cap (this run grew it by 42-48 MiB); later, an
// unfinished frame kept a record and a copy per read, ~260 bytes of heap for each 1-byte read within its budget.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { InspectorEvent } from '../../shared';
import { rssOf, startSockscope, type SockscopeServer } from '../../bench/lib/processes';
import { accounted } from '../helpers/accounted';
import { StreamClient } from '../helpers/app';
import { LEN4, unfinishedFrame } from '../helpers/length-prefix';
import { lockstepWrites } from '../helpers/lockstep-peer';
import { tinyWrites } from '../helpers/tiny-writes';

const MiB = 1 << 20;
const KiB = 1024;
const LIMITS = {
  capturePerConnectionBytes: MiB,
  captureTotalBytes: 4 * MiB,
  eventLogEvents: 2000,
  eventLogPayloadBytes: MiB,
  framingPendingPerConnectionBytes: MiB,
  framingPendingTotalBytes: 2 * MiB,
  // The stream the test follows carries no payloads, so its queue stays small.
  streamSoftBytes: 0,
};
/** What the caps allow sockscope to hold: the capture, unfinished frames, the replay log (about 256 B an event
 * besides payloads), and the recycled slabs the pool keeps free (16 of 256 KiB). */
const CAPS =
  LIMITS.captureTotalBytes +
  LIMITS.framingPendingTotalBytes +
  LIMITS.eventLogEvents * 256 +
  LIMITS.eventLogPayloadBytes +
  16 * 256 * KiB;
/**
 * Besides what is held: V8's young generation growing under load, garbage not yet collected, and malloc keeping freed
 * pages. Measured growth with the caps above: 7-11 MiB; before these caps, the same run grew by 42-48 MiB.
 */
const MARGIN = 16 * MiB;
const TINY_WRITES = 600_000;
const LOCKSTEP_ROUNDS = 125_000;

type Opened = Extract<InspectorEvent, { type: 'socket/opened' }>;

function sampler(pid: number): { stop(): number } {
  let peak = rssOf(pid);
  // Sampling, not waiting: nothing in the test waits on this timer.
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid));
    },
  };
}

/** Peers that write one unfinished frame each (`announce` bytes, `send` of them), then FIN. */
async function unfinishedFrames(port: number, peers: number, announce: number, send: number): Promise<net.Socket[]> {
  const frame = unfinishedFrame(announce, send);
  return Promise.all(
    Array.from({ length: peers }, async () => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.on('error', () => {});
      await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      s.end(frame);
      return s;
    }),
  );
}

const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
const limitArgs = Object.entries(LIMITS).flatMap(([name, value]) => ['--limit', `${name}=${value}`]);

/** Waits (server-side, on its events) until the peer's FIN came: every byte before it has been read. */
async function allRead(scope: SockscopeServer, id: string): Promise<void> {
  await scope.api('POST', `/api/connections/${id}/expect`, { state: 'half-closed-remote', timeoutMs: 20_000 });
}

describe('sockscope process memory under tiny reads and unfinished frames', () => {
  it('stays within its caps and a stated margin', async () => {
    const scope = await startSockscope(limitArgs);
    const sockets: net.Socket[] = [];
    const writer = { close: async () => {} };
    const stream = new StreamClient(`ws://127.0.0.1:${scope.port}/api/stream`, {
      authorization: `Bearer ${scope.token}`,
    });
    try {
      await stream.opened;
      const plain = await scope.api<{ id: string; local: { port: number } }>('POST', '/api/listeners', { port: 0 });
      const framed = await scope.api<{ id: string; local: { port: number } }>('POST', '/api/listeners', { port: 0 });
      await scope.api('PUT', `/api/listeners/${framed.id}/framing`, { framing: LEN4 });
      /** The first n connections the listener accepted, once they are there. */
      const openedUnder = async (listener: string, n: number): Promise<Opened[]> => {
        const isUnder = (f: { type: string }): f is Opened =>
          f.type === 'socket/opened' && (f as Opened).connection.parent === listener;
        let seen = 0; // waitFor looks at each frame once: the ones so far, then each new one
        await stream.waitFor((f) => isUnder(f) && ++seen >= n, 10_000);
        return stream.events.filter(isUnder).slice(0, n);
      };

      const rss = sampler(scope.pid);
      const base = rssOf(scope.pid);
      // Two TCP_NODELAY peers, 600,000 one-byte writes each; then 4 peers announcing 16 MiB frames and sending 8 MiB
      // of each; then 4 announcing 900 KiB frames and sending 800 KiB (under the per-connection limit, past the total).
      const tiny = tinyWrites(plain.local.port, TINY_WRITES, 2);
      Object.assign(writer, tiny);
      const tinyRows = await openedUnder(plain.id, 2);
      sockets.push(...(await unfinishedFrames(framed.local.port, 4, 16 * MiB, 8 * MiB)));
      sockets.push(...(await unfinishedFrames(framed.local.port, 4, 900 * KiB, 800 * KiB)));
      const frameRows = await openedUnder(framed.id, 8);
      stream.close(); // the ids are known: the rest is waited for over REST
      await tiny.done;
      for (const r of [...tinyRows, ...frameRows]) await allRead(scope, r.id);
      const grown = rss.stop() - base;
      expect(
        grown,
        `RSS grew ${mib(grown)} from ${mib(base)}; caps ${mib(CAPS)} + margin ${mib(MARGIN)}`,
      ).toBeLessThanOrEqual(CAPS + MARGIN);

      // And by sockscope's own accounting, what it holds is within the caps.
      let captured = 0;
      for (const r of [...tinyRows, ...frameRows]) {
        const chunks = await scope.api<{ chunks: { length: number }[]; more: boolean }>(
          'GET',
          `/api/connections/${r.id}/chunks?limit=10000`,
        );
        expect(chunks.more).toBe(false);
        captured += accounted(chunks.chunks);
      }
      expect(captured).toBeLessThanOrEqual(LIMITS.captureTotalBytes);
      let pending = 0;
      for (const r of frameRows) {
        const m = await scope.api<{ pending: { length: number } | null; error: string | null }>(
          'GET',
          `/api/connections/${r.id}/messages`,
        );
        pending += m.pending?.length ?? 0;
      }
      expect(pending).toBeLessThanOrEqual(LIMITS.framingPendingTotalBytes);
    } finally {
      stream.close();
      await writer.close();
      for (const s of sockets) s.destroy();
      await scope.stop();
    }
  }, 60_000);

  it('tiny writes into the framed listener: an unfinished line of one-byte reads costs its bytes', async () => {
    const scope = await startSockscope(limitArgs);
    try {
      const framed = await scope.api<{ id: string; local: { port: number } }>('POST', '/api/listeners', {
        port: 0,
        accept: 'echo',
      });
      await scope.api('PUT', `/api/listeners/${framed.id}/framing`, {
        framing: { kind: 'delimiter', delimiter: '\\n' },
      });
      const rss = sampler(scope.pid);
      const base = rssOf(scope.pid);
      // Two Python peers write 125,000 single bytes each, never a newline, each write after the echo of the one
      // before: every read (and every echoed write) is one byte. Each direction of each connection is one unfinished
      // line: 250 KB a connection, within framingPendingPerConnectionBytes (1 MiB) and the total (2 MiB).
      await lockstepWrites(framed.local.port, LOCKSTEP_ROUNDS, 2);
      const { connections } = await scope.api<{ connections: { id: string; parent: string | null }[] }>(
        'GET',
        '/api/sockets',
      );
      const rows = connections.filter((c) => c.parent === framed.id);
      expect(rows).toHaveLength(2);
      for (const r of rows) await allRead(scope, r.id);
      const grown = rss.stop() - base;
      expect(
        grown,
        `RSS grew ${mib(grown)} from ${mib(base)}; caps ${mib(CAPS)} + margin ${mib(MARGIN)}`,
      ).toBeLessThanOrEqual(CAPS + MARGIN);

      // Each line is still pending in full (no framing error), read by read, its reads listed in bounded form.
      for (const r of rows) {
        for (const direction of ['in', 'out']) {
          const m = await scope.api<{
            pending: { length: number; reads: number[]; readCount?: number } | null;
            error: string | null;
          }>('GET', `/api/connections/${r.id}/messages?direction=${direction}`);
          expect(m.error).toBeNull();
          expect(m.pending).toMatchObject({ length: LOCKSTEP_ROUNDS, readCount: LOCKSTEP_ROUNDS });
          expect(m.pending?.reads).toHaveLength(64);
        }
      }
    } finally {
      await scope.stop();
    }
  }, 60_000);
});
