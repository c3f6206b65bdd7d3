// B6: a peer floods 1 GiB at a reading connection and at a paused one. RSS must stay within the capture cap
// + 192 MiB of the RSS at start, sampled throughout, and every byte must be accounted for: read by sockscope
// (captured or counted as dropped from the bounded capture) or still queued in the kernel.
import { once } from 'node:events';
import type net from 'node:net';
import { rssOf, startSockscope, type SockscopeServer } from './lib/processes';
import type { Bench } from './lib/result';
import { acceptedFor, listen } from './lib/sockscope-rows';
import { spread } from './lib/stats';
import { connect, push, sleep, until } from './lib/traffic';

const ALLOWANCE = 192 * 2 ** 20;

interface Row {
  id: string;
  bytesIn: number;
  droppedBytes: number;
  recvQ: number | null;
  state: string;
}

function sampler(pid: number): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid));
    },
  };
}

async function accepted(scope: SockscopeServer, listenerId: string, s: net.Socket): Promise<Row> {
  const row = await until(() => acceptedFor(scope, listenerId, s.localPort!), 'the accepted row');
  return scope.api<Row>('GET', `/api/connections/${row.id}`);
}

/** Reading: everything arrives; held capture + dropped = bytes read. */
async function reading(scope: SockscopeServer, total: number, notes: string[]): Promise<boolean> {
  const l = await listen(scope, { accept: 'read' });
  const s = await connect(l.port);
  const row = await accepted(scope, l.id, s);
  await push(s, total);
  const done = await until(async () => {
    const r = await scope.api<Row>('GET', `/api/connections/${row.id}`);
    return r.bytesIn >= total ? r : null;
  }, 'every byte read');
  const chunks = await scope.api<{ chunks: { length: number }[]; more: boolean }>(
    'GET',
    `/api/connections/${row.id}/chunks?direction=in&limit=10000`,
  );
  const held = chunks.chunks.reduce((n, c) => n + c.length, 0);
  const ok = done.bytesIn === total && held + done.droppedBytes === total && !chunks.more;
  notes.push(
    `reading: sent ${total}, read ${done.bytesIn} = captured ${held} + dropped ${done.droppedBytes}${ok ? '' : ' MISMATCH'}`,
  );
  s.destroy();
  return ok;
}

/** Paused: the kernel queues fill and the writer stalls; what the client handed over is in sockscope or the queues. */
async function paused(scope: SockscopeServer, total: number, notes: string[]): Promise<boolean> {
  const l = await listen(scope, { accept: 'hold' });
  const s = await connect(l.port);
  const row = await accepted(scope, l.id, s);
  // A held connection never reads: write until both kernels' buffers are full and no 'drain' comes for 300 ms.
  // (Our own loop, not push(): nothing may be written after the FIN below.)
  const block = Buffer.alloc(1 << 20, 0x62);
  let written = 0;
  while (written < total) {
    written += block.length;
    if (s.write(block)) continue;
    const drained = await Promise.race([once(s, 'drain').then(() => true), sleep(300).then(() => false)]);
    if (!drained) break;
  }
  const last = s.bytesWritten - s.writableLength;
  const before = await scope.api<Row>('GET', `/api/connections/${row.id}`);
  await scope.api('POST', `/api/connections/${row.id}/resume`);
  s.end();
  const sent = s.bytesWritten;
  const after = await until(async () => {
    const r = await scope.api<Row>('GET', `/api/connections/${row.id}`);
    return r.bytesIn >= sent ? r : null;
  }, 'the held bytes to arrive after resume');
  const ok = after.bytesIn === sent;
  notes.push(
    `paused: writer stalled after ${last} bytes handed to the kernel (sockscope had read ${before.bytesIn}, Recv-Q ${before.recvQ}); after resume read ${after.bytesIn} of ${sent} written${ok ? '' : ' MISMATCH'}`,
  );
  s.destroy();
  return ok;
}

export const b6: Bench = async ({ smoke, runs, log }) => {
  const total = smoke ? 64 << 20 : 1 << 30;
  const peaks: number[] = [];
  const starts: number[] = [];
  const notes: string[] = [];
  let accounted = true;
  let cap = 0;
  for (let i = 0; i < runs; i++) {
    const scope = await startSockscope();
    try {
      cap = (await scope.api<{ limits: { captureTotalBytes: number } }>('GET', '/api/info')).limits.captureTotalBytes;
      await sleep(500);
      const start = rssOf(scope.pid);
      const sample = sampler(scope.pid);
      const runNotes: string[] = [];
      accounted = (await reading(scope, total, runNotes)) && accounted;
      accounted = (await paused(scope, total, runNotes)) && accounted;
      peaks.push(sample.stop() - start);
      starts.push(start);
      if (i === 0) notes.push(...runNotes);
    } finally {
      await scope.stop();
    }
  }
  const s = spread(peaks);
  const allowance = cap + ALLOWANCE;
  log(`B6 peak RSS growth ${(s.median / 2 ** 20).toFixed(0)} MiB (allowed ${(allowance / 2 ** 20).toFixed(0)} MiB)`);
  return {
    id: 'B6',
    title: `flood ${smoke ? '64 MiB' : '1 GiB'} at a reading and a paused connection`,
    unit: 'bytes',
    subject: s,
    baseline: spread(starts),
    ratio: s.max / allowance,
    target: `peak growth <= cap ${(cap / 2 ** 20).toFixed(0)} MiB + 192 MiB; all bytes accounted`,
    holds: s.max <= allowance && accounted,
    notes,
  };
};
