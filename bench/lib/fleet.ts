// Many client connections at once (bounded concurrency), and closing them without leaving TIME_WAIT behind.
import type net from 'node:net';
import { connect } from './traffic';

export async function openMany(port: number, count: number, concurrency = 200): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const s = await connect(port);
      s.on('error', () => {});
      sockets.push(s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return sockets;
}

/** RST, so 10,000 closes do not park 10,000 ports in TIME_WAIT between runs. */
export function resetAll(sockets: net.Socket[]): void {
  for (const s of sockets) s.resetAndDestroy();
}
