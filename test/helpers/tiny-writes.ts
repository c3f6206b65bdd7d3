// A TCP_NODELAY peer making 1-byte writes, in a worker thread of its own: its writes go on while the test's event loop
// (and an in-process sockscope) reads, so sockscope sees many tiny reads rather than a few merged ones.
import { Worker } from 'node:worker_threads';

const WRITER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { port, writes, connections } = workerData;
let stopped = false;
let done = 0;
const written = [];
parentPort.on('message', (m) => { if (m === 'stop') stopped = true; });
for (let c = 0; c < connections; c++) {
  written.push(0);
  const s = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => {
    const one = Buffer.from('x');
    // One byte per write() and a turn of the loop now and then, so the bytes leave as they are written (and a 'stop'
    // is read); while Node holds what the kernel did not take yet, wait for it to drain, so a slow reader does not
    // leave MiBs queued here.
    const burst = () => {
      for (let i = 0; i < 64 && written[c] < writes && !stopped; i++, written[c]++) s.write(one);
      if (written[c] < writes && !stopped) {
        if (s.writableLength > 4096) s.once('drain', burst);
        else setImmediate(burst);
      } else s.end(() => { if (++done === connections) parentPort.postMessage({ written }); });
    };
    burst();
  });
  s.on('error', (err) => parentPort.postMessage({ error: err.message }));
}`;

export interface TinyWriter {
  /** Every byte handed to the kernel and the FIN sent; the bytes each connection wrote, in connection order. */
  done: Promise<number[]>;
  /** Each connection ends after its current burst, before `writes` when not there yet. */
  stop(): void;
  /** Ends the worker and with it its sockets. */
  close(): Promise<void>;
}

/** `connections` peers of 127.0.0.1:`port`, each writing `writes` single bytes (or until stop()), then FIN. */
export function tinyWrites(port: number, writes: number, connections = 1): TinyWriter {
  const worker = new Worker(WRITER, { eval: true, workerData: { port, writes, connections } });
  const done = new Promise<number[]>((resolve, reject) => {
    worker.on('message', (m: { written?: number[]; error?: string }) =>
      m.written ? resolve(m.written) : reject(new Error(`tiny writer: ${m.error}`)),
    );
    worker.once('error', reject);
  });
  return {
    done,
    stop: () => worker.postMessage('stop'),
    close: async () => void (await worker.terminate()),
  };
}
