// B3: 10,000 idle connections held by a sockscope listener, against plain Node holding the same.
// Target: <= 16 KiB of server RSS per connection (plain Node needs ~4 KiB). Fresh server processes every run.
import { rssOf, startPlain, startSockscope } from './lib/processes';
import type { Bench } from './lib/result';
import { openMany, resetAll } from './lib/fleet';
import { interleave } from './lib/stats';
import { sleep, until } from './lib/traffic';

const TARGET = 16 * 1024;

/** RSS growth per held connection, measured after the process settles (timers, GC) both times. */
async function perConnection(pid: number, port: number, count: number, held: () => Promise<number>): Promise<number> {
  await sleep(1000);
  const before = rssOf(pid);
  const sockets = await openMany(port, count);
  await until(async () => (await held()) >= count, `${count} connections held`, 60_000, 50);
  await sleep(1500);
  const after = rssOf(pid);
  resetAll(sockets);
  return (after - before) / count;
}

export const b3: Bench = async ({ smoke, runs, log }) => {
  const count = smoke ? 1000 : 10_000;
  const baseline = async () => {
    const plain = await startPlain('hold');
    try {
      return await perConnection(plain.pid, plain.port, count, () => plain.ask<number>('held'));
    } finally {
      await plain.stop();
    }
  };
  const subject = async () => {
    const scope = await startSockscope(['--max-connections', String(count + 100)]);
    try {
      const l = await scope.api<{ id: string; local: { port: number } }>('POST', '/api/listeners', {
        port: 0,
        backlog: 4096,
      });
      const accepted = async () => (await scope.api<{ accepted: number }>('GET', `/api/listeners/${l.id}`)).accepted;
      return await perConnection(scope.pid, l.local.port, count, accepted);
    } finally {
      await scope.stop();
    }
  };
  const { baseline: b, subject: s } = await interleave(runs, baseline, subject);
  log(`B3 ${(s.median / 1024).toFixed(1)} KiB/conn vs ${(b.median / 1024).toFixed(1)} KiB/conn plain`);
  return {
    id: 'B3',
    title: `${count.toLocaleString('en')} idle connections held`,
    unit: 'bytes/conn',
    subject: s,
    baseline: b,
    ratio: s.median / b.median,
    target: '<= 16 KiB/conn',
    holds: s.median <= TARGET,
    notes: [],
  };
};
