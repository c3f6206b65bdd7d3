// One WebSocket subscriber in its own thread: counts events as they arrive and samples event-to-client latency,
// without a full JSON.parse (the subscriber must not be the bottleneck it measures).
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, token, record } = workerData as { url: string; token?: string; record: boolean };
const SEQ = /"seq":/g;
const AT = /"at":(\d+)/;

let events = 0;
let first = 0;
let last = 0;
const latencies: number[] = [];
const frames: string[] = [];
let snapshot = true;

const ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
ws.on('open', () => parentPort!.postMessage({ type: 'open' }));
ws.on('message', (data: Buffer) => {
  const text = data.toString();
  if (snapshot) {
    snapshot = false; // the snapshot (or the baseline's hello) is not an event
    parentPort!.postMessage({ type: 'ready' });
    return;
  }
  if (text === '"end"') return void parentPort!.postMessage({ type: 'end' });
  // The clock starts with the first data event: connection set-up before the load is not part of the rate.
  if (events === 0 && !text.includes('"socket/data"')) return;
  const now = (performance.timeOrigin + performance.now()) * 1000;
  const n = text.match(SEQ)?.length ?? 0;
  if (events === 0) first = performance.now();
  events += n;
  last = performance.now();
  const at = AT.exec(text)?.[1];
  if (at) latencies.push((now - Number(at)) / 1000);
  if (record) frames.push(text);
});
ws.on('close', (code) => parentPort!.postMessage({ type: 'closed', code }));
parentPort!.on('message', (msg: string) => {
  if (msg === 'report') parentPort!.postMessage({ type: 'report', events, seconds: (last - first) / 1000, latencies, frames });
  if (msg === 'close') ws.close();
});
