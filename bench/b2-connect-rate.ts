// B2: 20,000 connect/close cycles, 50 at a time, against a sockscope listener that records every connection as a row
// with its events (and closes on the peer's FIN, as the baseline server does), against a plain Node `net` server.
// Target: >= 0.6 x the baseline's connections/s.
import net from 'node:net';
import { startPlain, startSockscope } from './lib/processes';
import type { Bench } from './lib/result';
import { listen } from './lib/sockscope-rows';
import { interleave } from './lib/stats';

/** One cycle: connect, send FIN, wait until the server has closed its side too. */
function cycle(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => s.end());
    s.on('data', () => {});
    s.once('close', (hadError) => (hadError ? reject(new Error('cycle failed')) : resolve()));
    s.once('error', reject);
  });
}

async function cycles(port: number, total: number, concurrency: number): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (started < total) {
      started++;
      await cycle(port);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - t0) / 1000);
}

export const b2: Bench = async ({ smoke, runs, log }) => {
  const total = smoke ? 2000 : 20_000;
  const concurrency = 50;
  const plain = await startPlain('close');
  const scope = await startSockscope();
  const notes: string[] = [];
  try {
    const l = await listen(scope, { accept: 'read', closeOnPeerFin: true, backlog: 1024 });
    const baseline = () => cycles(plain.port, total, concurrency);
    const subject = () => cycles(l.port, total, concurrency);
    await baseline();
    await subject();
    const { baseline: b, subject: s } = await interleave(runs, baseline, subject);
    // Every cycle became a row with its events: the listener counted each accept, none was dropped.
    const row = await scope.api<{ accepted: number; dropped: number }>('GET', `/api/listeners/${l.id}`);
    const expected = total * (runs + 1);
    const recorded = row.accepted === expected && row.dropped === 0;
    notes.push(`listener accepted ${row.accepted} of ${expected} connections, dropped ${row.dropped}`);
    log(`B2 ${s.median.toFixed(0)} conn/s vs ${b.median.toFixed(0)} conn/s plain`);
    const ratio = s.median / b.median;
    return {
      id: 'B2',
      title: `${total.toLocaleString('en')} connect/close cycles, 50 at a time`,
      unit: 'conn/s',
      subject: s,
      baseline: b,
      ratio,
      target: '>= 0.6 x baseline',
      holds: ratio >= 0.6 && recorded,
      notes,
    };
  } finally {
    await Promise.all([plain.stop(), scope.stop()]);
  }
};
