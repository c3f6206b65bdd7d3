// Quick measurement of the /proc/net/tcp* parser (not a test): `npx tsx test/backend/kernel/parse-speed.ts [lines]`.
// 50,000 generated lines per file in the kernel's format; many distinct peers, so the address caches work for it.
import { parseProcNetTcp, type TcpProto } from '../../../backend/kernel/proc-net-tcp';

const LINES = Number(process.argv[2] ?? 50_000);
const RUNS = 15;
const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const tail = (i: number) => `00000000  1000        0 ${100000 + i} 1 ffff8881${hex(i, 8)} 20 4 30 10 -1`;

const v4 = (i: number) =>
  `${String(i).padStart(4)}: ${hex(0x0100007f + (i % 7) * 256, 8)}:${hex(1024 + (i % 60000), 4)} ` +
  `${hex((0x0200a8c0 + (i % 5000) * 65536) >>> 0, 8)}:${hex(40000 + (i % 20000), 4)} ${hex(1 + (i % 11), 2)} ` +
  `${hex(i * 7, 8)}:${hex(i * 3, 8)} 02:${hex(i, 8)} ${tail(i)}`;
const v6 = (i: number) =>
  `${String(i).padStart(4)}: 0000000000000000FFFF00000100007F:${hex(1024 + (i % 60000), 4)} ` +
  `B80D01200000000000000000${hex(i % 3000, 8)}:${hex(40000 + (i % 20000), 4)} 01 00000000:00000000 00:00000000 ${tail(i)}`;

// A flat one-byte string, as readFile(..., 'latin1') returns.
const text = (line: (i: number) => string) =>
  Buffer.from(header + Array.from({ length: LINES }, (_, i) => line(i)).join('\n') + '\n', 'latin1').toString('latin1');

for (const [proto, source] of [
  ['tcp', text(v4)],
  ['tcp6', text(v6)],
] as Array<[TcpProto, string]>) {
  const cpu: number[] = [];
  let rows = 0;
  for (let run = 0; run < RUNS; run++) {
    const before = process.cpuUsage();
    rows = parseProcNetTcp(source, proto).size;
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  const sorted = [...cpu].sort((a, b) => a - b);
  const ms = (x: number | undefined) => `${(x ?? NaN).toFixed(1)} ms`;
  console.log(
    `${proto}: ${rows} rows, ${(source.length / 1e6).toFixed(1)} MB; CPU time: first (cold) ${ms(cpu[0])}, ` +
      `min ${ms(sorted[0])}, median ${ms(sorted[RUNS >> 1])}`,
  );
}
