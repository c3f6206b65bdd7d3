// B1: a client pushes 1 GiB into a sockscope listener that reads and captures (bounded ring),
// against a plain Node `net` sink. Target: >= 0.7 x the baseline's bytes/s.
import { startPlain, startSockscope } from './lib/processes';
import type { Bench } from './lib/result';
import { acceptedFor, listen } from './lib/sockscope-rows';
import { interleave } from './lib/stats';
import { connect, push, readAll, until } from './lib/traffic';

export const b1: Bench = async ({ smoke, runs, log }) => {
  const total = smoke ? 64 << 20 : 1 << 30;
  const plain = await startPlain('sink');
  const scope = await startSockscope((process.env.BENCH_SOCKSCOPE_ARGS ?? '').split(' ').filter(Boolean));
  try {
    const listener = await listen(scope, { accept: 'read' });

    const baseline = async () => {
      const s = await connect(plain.port);
      const started = performance.now();
      const answer = readAll(s);
      await push(s, total);
      const count = (await answer).readBigUInt64BE(0);
      const seconds = (performance.now() - started) / 1000;
      if (Number(count) !== total) throw new Error(`baseline sink got ${count} of ${total} bytes`);
      s.destroy();
      return total / seconds;
    };

    const subject = async () => {
      const s = await connect(listener.port);
      const row = await until(() => acceptedFor(scope, listener.id, s.localPort!), 'the accepted row');
      // Done when sockscope has read the peer's FIN, i.e. every byte before it (the baseline's sink answers on 'end'
      // the same way): a waiting expect answers on that transition, no polling.
      const finRead = scope.api('POST', `/api/connections/${row.id}/expect`, {
        state: 'half-closed-remote',
        timeoutMs: 60_000,
      });
      const started = performance.now();
      await push(s, total);
      await finRead;
      const seconds = (performance.now() - started) / 1000;
      const read = await scope.api<{ bytesIn: number }>('GET', `/api/connections/${row.id}`);
      if (read.bytesIn !== total) throw new Error(`sockscope read ${read.bytesIn} of ${total} bytes`);
      s.destroy();
      await scope.api('POST', `/api/connections/${row.id}/close`).catch(() => {});
      return total / seconds;
    };

    await baseline(); // warm both paths once: JIT, page cache, socket buffers
    await subject();
    // A sample lasts under a second and the machine's noise is larger than that: 11 pairs (or --runs, if more) keep
    // the medians steady for the price of a few seconds.
    const pairs = smoke ? runs : Math.max(runs, 11);
    const { baseline: b, subject: s } = await interleave(pairs, baseline, subject);
    const ratio = s.median / b.median;
    log(`B1 ${(s.median / 2 ** 20).toFixed(0)} MiB/s vs ${(b.median / 2 ** 20).toFixed(0)} MiB/s plain`);
    return {
      id: 'B1',
      title: `push ${smoke ? '64 MiB' : '1 GiB'} into a capturing listener`,
      unit: 'bytes/s',
      subject: s,
      baseline: b,
      ratio,
      target: '>= 0.7 x baseline',
      holds: ratio >= 0.7,
      notes: [],
    };
  } finally {
    await Promise.all([plain.stop(), scope.stop()]);
  }
};
