// Bounded capture of every chunk read or written: per connection and in total, oldest evicted first, evictions counted.
import type { Chunk, Direction } from '../../shared';

interface StoredChunk {
  index: number;
  direction: Direction;
  at: number;
  offset: number;
  bytes: Buffer;
}

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

  /** Counts and stores one chunk; returns what the data event needs. */
  record(direction: Direction, bytes: Buffer, at: number): { index: number; offset: number } {
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
      this.chunks.push({ index, direction, at, offset, bytes });
      this.heldBytes += bytes.length;
      this.store.added(this, index, bytes.length);
      while (this.heldBytes > this.store.perConnectionBytes && this.heldChunks > 0) this.evictOldest();
      this.store.enforceTotal();
    }
    return { index, offset };
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

  constructor(
    readonly perConnectionBytes: number,
    readonly totalCapBytes: number,
  ) {}

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
