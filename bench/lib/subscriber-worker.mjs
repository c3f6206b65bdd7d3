// Plain JS (workers do not inherit tsx's loader). One WebSocket subscriber in its own thread: counts events as they arrive and samples event-to-client latency,
// without a full JSON.parse (the subscriber must not be the bottleneck it measures).
/* global performance */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, token, record } = workerData;
const SEQ = '"seq":';
const AT = '"at":';

/** Occurrences of `"seq":` (one per event) without building an array of matches for a megabyte batch. */
function countEvents(text) {
  let n = 0;
  for (let at = text.indexOf(SEQ); at !== -1; at = text.indexOf(SEQ, at + 6)) n++;
  return n;
}

/** The first event's `at` (µs since the epoch). */
function firstAt(text) {
  const i = text.indexOf(AT);
  return i === -1 ? null : Number.parseInt(text.slice(i + 5, i + 25), 10);
}

let events = 0;
let first = 0;
let last = 0;
const latencies = [];
const frames = [];
let snapshot = true;

const ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
ws.on('open', () => parentPort.postMessage({ type: 'open' }));
ws.on('message', (data) => {
  const text = data.toString();
  if (snapshot) {
    snapshot = false; // the snapshot (or the baseline's hello) is not an event
    parentPort.postMessage({ type: 'ready' });
    return;
  }
  if (text === '"end"') return void parentPort.postMessage({ type: 'end' });
  // The clock starts with the first data event: connection set-up before the load is not part of the rate.
  if (events === 0 && !text.includes('"socket/data"')) return;
  const now = (performance.timeOrigin + performance.now()) * 1000;
  const n = countEvents(text);
  if (events === 0) first = performance.now();
  events += n;
  last = performance.now();
  const at = firstAt(text);
  if (at) latencies.push((now - at) / 1000);
  if (record) frames.push(text);
});
ws.on('close', (code) => parentPort.postMessage({ type: 'closed', code }));
parentPort.on('message', (msg) => {
  if (msg === 'report')
    parentPort.postMessage({ type: 'report', events, seconds: (last - first) / 1000, latencies, frames });
  if (msg === 'close') ws.close();
});
