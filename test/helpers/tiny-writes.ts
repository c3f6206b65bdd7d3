// A TCP_NODELAY peer making 1-byte writes, in a worker thread of its own: its writes go on while the test's event loop
// (and an in-process sockscope) reads, so sockscope sees many tiny reads rather than a few merged ones.
import { Worker } from 'node:worker_threads';

const WRITER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { port, writes, connections } = workerData;
let done = 0;
for (let c = 0; c < connections; c++) {
  const s = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => {
    const one = Buffer.from('x');
    let left = writes;
    // One byte per write() and a turn of the loop now and then, so the bytes leave as they are written.
    const burst = () => {
      for (let i = 0; i < 64 && left > 0; i++, left--) s.write(one);
      if (left > 0) setImmediate(burst);
      else s.end(() => { if (++done === connections) parentPort.postMessage('done'); });
    };
    burst();
  });
  s.on('error', (err) => parentPort.postMessage('error: ' + err.message));
}`;

export interface TinyWriter {
  /** Every byte handed to the kernel and the FIN sent. */
  done: Promise<void>;
  /** Ends the worker and with it its sockets. */
  close(): Promise<void>;
}

/** `connections` peers of 127.0.0.1:`port`, each writing `writes` single bytes, then FIN. */
export function tinyWrites(port: number, writes: number, connections = 1): TinyWriter {
  const worker = new Worker(WRITER, { eval: true, workerData: { port, writes, connections } });
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: string) => (m === 'done' ? resolve() : reject(new Error(`tiny writer: ${m}`))));
    worker.once('error', reject);
  });
  return { done, close: async () => void (await worker.terminate()) };
}
