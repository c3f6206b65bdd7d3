// Bounded capture of every chunk read or written: per connection and in total, oldest evicted first, evictions counted.
import type { Chunk, Direction } from '../../shared';
import { SlabPool, type Slab } from './slab-pool';

interface StoredChunk {
  index: number;
  direction: Direction;
  at: number;
  offset: number;
  bytes: Buffer;
  /** Set when the bytes are a view of a recycled slab: valid while this chunk is held, no longer. */
  slab: Slab | null;
}

/**
 * How record() keeps a chunk whose Buffer the caller will reuse (sockscope's read buffer, read-into.ts):
 *   none     the caller's Buffer is the chunk's own (Node's read buffer, a send's payload): kept as it is;
 *   recycle  copied into a recycled slab: the one copy made of it, valid while the capture holds the chunk (holds());
 *   own      copied into a Buffer of its own, for chunks something else keeps longer (an echo's queued write, a
 *            framing decoder's partial frame).
 */
export type KeepMode = 'none' | 'recycle' | 'own';

/** Smaller chunks get a Buffer of their own: Node pools small allocations, and a slab is meant for bulk. */
const SLAB_MIN_CHUNK = 4096;

interface ChunkRef {
  capture: ConnectionCapture;
  index: number;
}

export interface ChunkPage {
  chunks: Chunk[];
  more: boolean;
}

const toWire = (c: StoredChunk): Chunk => ({
  index: c.index,
  direction: c.direction,
  at: c.at,
  offset: c.offset,
  length: c.bytes.length,
  data: c.bytes.toString('base64'),
});

export class ConnectionCapture {
  private chunks: StoredChunk[] = [];
  private head = 0;
  /** The slab recycled chunks are being copied into. */
  private slab: Slab | null = null;
  heldBytes = 0;
  droppedBytes = 0;
  droppedChunks = 0;
  bytesIn = 0;
  bytesOut = 0;
  chunksIn = 0;
  chunksOut = 0;
  lastIndex = 0;
  forgotten = false;

  constructor(private readonly store: CaptureStore) {}

  get heldChunks(): number {
    return this.chunks.length - this.head;
  }

  oldestIndex(): number {
    return this.chunks[this.head]?.index ?? Infinity;
  }

  /** Counts and stores one chunk; returns what the data event needs, with the bytes as kept (see KeepMode). */
  record(
    direction: Direction,
    given: Buffer,
    at: number,
    mode: KeepMode = 'none',
  ): { index: number; offset: number; bytes: Buffer; recycled: boolean } {
    const { bytes, slab } = this.keep(given, mode);
    const index = ++this.lastIndex;
    const offset = direction === 'in' ? this.bytesIn : this.bytesOut;
    if (direction === 'in') {
      this.bytesIn += bytes.length;
      this.chunksIn++;
    } else {
      this.bytesOut += bytes.length;
      this.chunksOut++;
    }
    if (!this.forgotten) {
      this.chunks.push({ index, direction, at, offset, bytes, slab });
      this.heldBytes += bytes.length;
      this.store.added(this, index, bytes.length);
      while (this.heldBytes > this.store.perConnectionBytes && this.heldChunks > 0) this.evictOldest();
      this.store.enforceTotal();
    }
    return { index, offset, bytes, recycled: slab !== null };
  }

  /** Whether the chunk with this index is still stored (a recycled chunk's bytes are valid exactly that long). */
  holds(index: number): boolean {
    return !this.forgotten && index >= this.oldestIndex() && index <= this.lastIndex;
  }

  /** The stored bytes of one chunk; null once evicted. */
  bytesOf(index: number): Buffer | null {
    if (!this.holds(index)) return null;
    return this.chunks[this.firstAfter(index - 1)]?.bytes ?? null;
  }

  private keep(given: Buffer, mode: KeepMode): { bytes: Buffer; slab: Slab | null } {
    if (mode === 'none') return { bytes: given, slab: null };
    const storable = !this.forgotten && given.length <= this.store.perConnectionBytes;
    if (mode === 'own' || !storable || given.length < SLAB_MIN_CHUNK) return { bytes: Buffer.from(given), slab: null };
    let slab = this.slab;
    if (!slab || slab.used + given.length > slab.buffer.length) {
      this.retireSlab();
      slab = this.slab = this.store.slabs.take(given.length);
      if (!slab) return { bytes: Buffer.from(given), slab: null }; // every slab in use: the fallback stays correct
    }
    given.copy(slab.buffer, slab.used);
    const bytes = slab.buffer.subarray(slab.used, slab.used + given.length);
    slab.used += given.length;
    slab.live++;
    return { bytes, slab };
  }

  /** The slab being filled is done with: back to the pool now if none of its chunks is held, else with the last. */
  private retireSlab(): void {
    const s = this.slab;
    if (!s) return;
    this.slab = null;
    s.filling = false;
    if (s.live === 0) this.store.slabs.give(s);
  }

  private release(c: StoredChunk): void {
    const s = c.slab;
    if (!s) return;
    s.live--;
    if (s.live === 0 && !s.filling) this.store.slabs.give(s);
  }

  evictOldest(): void {
    const c = this.chunks[this.head];
    if (!c) return;
    this.chunks[this.head++] = undefined as unknown as StoredChunk;
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    this.heldBytes -= c.bytes.length;
    this.droppedBytes += c.bytes.length;
    this.droppedChunks++;
    this.store.removed(c.bytes.length);
    this.release(c);
  }

  /** Chunks with index > since, oldest first. */
  list(since: number, limit: number, direction?: Direction): ChunkPage {
    const out: Chunk[] = [];
    for (let i = this.firstAfter(since); i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (direction && c.direction !== direction) continue;
      if (out.length === limit) return { chunks: out, more: true };
      out.push(toWire(c));
    }
    return { chunks: out, more: false };
  }

  /** Bytes of one direction so far (captured or not). */
  total(direction: Direction): number {
    return direction === 'in' ? this.bytesIn : this.bytesOut;
  }

  /** Stream offset of the oldest byte of one direction still stored; the total when none is. */
  oldestOffset(direction: Direction): number {
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c.direction === direction) return c.offset;
    }
    return this.total(direction);
  }

  /** The stored chunks of one direction, oldest first: a contiguous suffix of that direction's stream. */
  stored(direction: Direction): { index: number; offset: number; bytes: Buffer }[] {
    const out: { index: number; offset: number; bytes: Buffer }[] = [];
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c.direction === direction) out.push(c);
    }
    return out;
  }

  /** Releases the stored bytes (not the counters): the row is being forgotten. */
  forget(): void {
    this.store.removed(this.heldBytes, this.heldChunks);
    for (let i = this.head; i < this.chunks.length; i++) this.release(this.chunks[i]!);
    this.retireSlab();
    this.forgotten = true;
    this.chunks = [];
    this.head = 0;
    this.heldBytes = 0;
  }

  private firstAfter(since: number): number {
    let lo = this.head;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.chunks[mid]!.index <= since) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class CaptureStore {
  totalBytes = 0;
  private heldChunks = 0;
  // Global arrival order; refs to chunks already evicted per connection are stale and skipped.
  private fifo: ChunkRef[] = [];
  private fifoHead = 0;

  /** Recycled storage for copied chunks, at most as large as the total cap. */
  readonly slabs: SlabPool;

  constructor(
    readonly perConnectionBytes: number,
    readonly totalCapBytes: number,
  ) {
    this.slabs = new SlabPool(totalCapBytes);
  }

  create(): ConnectionCapture {
    return new ConnectionCapture(this);
  }

  added(capture: ConnectionCapture, index: number, length: number): void {
    this.fifo.push({ capture, index });
    this.totalBytes += length;
    this.heldChunks++;
  }

  removed(length: number, chunks = 1): void {
    this.totalBytes -= length;
    this.heldChunks -= chunks;
  }

  enforceTotal(): void {
    while (this.totalBytes > this.totalCapBytes && this.fifoHead < this.fifo.length) {
      const ref = this.fifo[this.fifoHead++]!;
      if (!this.isStale(ref)) ref.capture.evictOldest();
    }
    this.compact();
  }

  private isStale(ref: ChunkRef): boolean {
    return ref.capture.forgotten || ref.index < ref.capture.oldestIndex();
  }

  private compact(): void {
    const queued = this.fifo.length - this.fifoHead;
    if (queued < 1024 || queued < 2 * this.heldChunks) return;
    this.fifo = this.fifo.slice(this.fifoHead).filter((r) => !this.isStale(r));
    this.fifoHead = 0;
  }
}
