// Plain JS (workers do not inherit tsx's loader). One WebSocket subscriber in its own thread: counts events as they
// arrive and samples event-to-client latency by scanning the message's bytes, without decoding or parsing it: the ten
// subscribers share the bench's one spare core, and must not be the bottleneck they measure (the raw ws baseline
// is received the same way).
/* global performance */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, token, record } = workerData;
const SEQ = Buffer.from('"seq":');
const AT = Buffer.from('"at":');
const END = Buffer.from('"end"');
const DATA = Buffer.from('"socket/data"');

/** Occurrences of `"seq":` (one per event). */
function countEvents(bytes) {
  let n = 0;
  for (let at = bytes.indexOf(SEQ); at !== -1; at = bytes.indexOf(SEQ, at + SEQ.length)) n++;
  return n;
}

/** The first event's `at` (µs since the epoch). */
function firstAt(bytes) {
  const i = bytes.indexOf(AT);
  return i === -1 ? null : Number.parseInt(bytes.toString('latin1', i + AT.length, i + AT.length + 20), 10);
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
  if (snapshot) {
    snapshot = false; // the snapshot (or the baseline's hello) is not an event
    parentPort.postMessage({ type: 'ready' });
    return;
  }
  if (data.equals(END)) return void parentPort.postMessage({ type: 'end' });
  // The clock starts with the first data event: connection set-up before the load is not part of the rate.
  if (events === 0 && data.indexOf(DATA) === -1) return;
  const now = (performance.timeOrigin + performance.now()) * 1000;
  const n = countEvents(data);
  if (events === 0) first = performance.now();
  events += n;
  last = performance.now();
  const at = firstAt(data);
  if (at) latencies.push((now - at) / 1000);
  if (record) frames.push(data.toString());
});
ws.on('close', (code) => parentPort.postMessage({ type: 'closed', code }));
parentPort.on('message', (msg) => {
  if (msg === 'report')
    parentPort.postMessage({ type: 'report', events, seconds: (last - first) / 1000, latencies, frames });
  if (msg === 'close') ws.close();
});
