// What a captured chunk, a logged data event and a framed message cost in the heap besides their payload (not a test):
// `node --expose-gc --import tsx test/backend/inspector/chunk-cost.ts`. The figures behind CHUNK_OVERHEAD_BYTES
// and MESSAGE_OVERHEAD_BYTES (both in shared/limits.ts); each is heapUsed + arrayBuffers after a full GC,
// before and after N items, divided by N, less the payload.
import { CaptureStore } from '../../../backend/inspector/capture';
import { dataEvent } from '../../../backend/inspector/data-event';
import { EventLog } from '../../../backend/inspector/event-log';
import { MessageLog } from '../../../backend/framing/message-log';
import { CHUNK_OVERHEAD_BYTES } from '../../../shared';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heap = (): number => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const AT = 1_700_000_000_000_000; // microseconds since the epoch, as the capture stamps chunks
const read = Buffer.alloc(64 * 1024, 0x61); // reused, as sockscope's read buffer is
const kept: unknown[] = [];

/** Bytes per item beyond `payload` that `add` leaves behind (in what it adds to), over n items. */
function cost(n: number, payload: number, add: (i: number) => void): number {
  const before = heap();
  for (let i = 0; i < n; i++) add(i);
  return (heap() - before) / n - payload;
}

/** A capture that never evicts: the chunks as the inspector records reads (mode 'recycle'). */
function captureCost(n: number, size: number): number {
  const c = new CaptureStore(2 ** 50, 2 ** 50).create();
  kept.push(c);
  const bytes = cost(n, size, (i) => void c.record('in', read.subarray(0, size), AT + i, 'recycle'));
  if (c.heldChunks !== n) throw new Error(`held ${c.heldChunks} of ${n}`);
  return bytes;
}

/** Under its cap, evicting as it goes: what is held once the capture is full, per chunk held. */
function cappedCost(size: number): string {
  const store = new CaptureStore(8 << 20, 8 << 20);
  const c = store.create();
  const before = heap();
  for (let i = 0; i < (64 << 20) / (size + CHUNK_OVERHEAD_BYTES); i++)
    c.record('in', read.subarray(0, size), AT + i, 'recycle');
  const grown = heap() - before;
  kept.push(c);
  const perChunk = (grown - c.heldBytes) / c.heldChunks;
  return `${perChunk.toFixed(0)} B/chunk over ${c.heldChunks} chunks; heap grew ${(grown / 2 ** 20).toFixed(2)} MiB for an accounted ${(store.accountedBytes / 2 ** 20).toFixed(2)} MiB`;
}

/** Data events in the replay log whose chunk the capture no longer holds (the event keeps the Buffer alone). */
function eventCost(n: number, size: number): number {
  const log = new EventLog(n, 2 ** 50);
  kept.push(log);
  return cost(n, size, (i) => {
    log.append(dataEvent(AT + i, 'c-1', 'in', i + 1, i * size, Buffer.from(read.subarray(0, size))));
  });
}

function messageCost(n: number, size: number): number {
  const log = new MessageLog(
    { kind: 'delimiter', delimiter: '\\n' },
    { startOffset: 0, skippedBytes: 0, maxBytes: 2 ** 50 },
  );
  kept.push(log);
  const line = Buffer.alloc(size + 1, 0x61);
  line[size] = 0x0a;
  return cost(n, size, (i) => void log.push(Buffer.from(line), i + 1));
}

const row = (what: string, bytes: number) => console.log(`${what.padEnd(44)} ${bytes.toFixed(0).padStart(6)} B`);
row('captured chunk of 1 byte', captureCost(200_000, 1));
row('captured chunk of 100 bytes', captureCost(200_000, 100));
row('captured chunk of 5000 bytes (slab)', captureCost(20_000, 5000));
console.log(`capped at 8 MiB, 1-byte chunks:              ${cappedCost(1)}`);
console.log(`capped at 8 MiB, 100-byte chunks:            ${cappedCost(100)}`);
row('logged data event of 1 byte (own Buffer)', eventCost(20_000, 1));
row('framed message of 1 byte', messageCost(10_000, 1));
row('framed message of 100 bytes', messageCost(10_000, 100));
console.log(`(CHUNK_OVERHEAD_BYTES is ${CHUNK_OVERHEAD_BYTES})`);
