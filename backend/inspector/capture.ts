// Bounded capture of every chunk read or written: per connection and in total, oldest evicted first, evictions counted.
// The first bytes of each direction (the head) are kept for good, so a flood cannot evict what the user came to see.
import { CHUNK_OVERHEAD_BYTES, type CaptureGap, type Chunk, type Direction } from '../../shared';
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
 *            a head chunk gets a copy of its own instead (it would keep its slab from ever going back);
 *   own      copied into a Buffer of its own, for chunks something else keeps longer (an echo's queued write, a
 *            framing decoder's partial frame).
 */
export type KeepMode = 'none' | 'recycle' | 'own';

/** Smaller chunks get a Buffer of their own: a slab is meant for bulk. */
const SLAB_MIN_CHUNK = 4096;

/**
 * A copy in memory of its own. Not Buffer.from: it slices small copies out of Node's shared 8 KiB pool, and one
 * chunk held (a trickle connection's, read between a flood's evicted ones) would keep its whole pool alive.
 */
function ownCopy(given: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(given.length);
  given.copy(copy);
  return copy;
}

/** One direction's head: open while every chunk so far fitted in it. */
interface Head {
  open: boolean;
  /** Payload bytes (the head covers stream offsets 0..end) and what the caps count for them. */
  end: number;
  accounted: number;
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

/** First position in `chunks` (from `from`) whose index is above `since`; chunks are in index order. */
function firstAfter(chunks: StoredChunk[], from: number, since: number): number {
  let lo = from;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (chunks[mid]!.index <= since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ConnectionCapture {
  /** The newest chunks (both directions), evicted oldest first from `tailStart`. */
  private chunks: StoredChunk[] = [];
  private tailStart = 0;
  /** The head chunks of both directions, in index order: never evicted. */
  private headChunks: StoredChunk[] = [];
  private readonly heads: Record<Direction, Head> = {
    in: { open: true, end: 0, accounted: 0 },
    out: { open: true, end: 0, accounted: 0 },
  };
  /** Payload bytes of this direction evicted so far: the gap after its head. */
  private readonly evicted: Record<Direction, number> = { in: 0, out: 0 };
  /** The slab recycled chunks are being copied into. */
  private slab: Slab | null = null;
  /** Payload bytes held (head and tail). */
  heldBytes = 0;
  /** What the caps count: heldBytes plus CHUNK_OVERHEAD_BYTES per chunk held. */
  accountedBytes = 0;
  droppedBytes = 0;
  droppedChunks = 0;
  bytesIn = 0;
  bytesOut = 0;
  chunksIn = 0;
  chunksOut = 0;
  lastIndex = 0;
  forgotten = false;

  constructor(
    private readonly store: CaptureStore,
    /** Head bytes per direction asked for (the caps may allow less). */
    private headBytes: number,
  ) {}

  get heldChunks(): number {
    return this.chunks.length - this.tailStart + this.headChunks.length;
  }

  /** The head size asked for. */
  get captureHeadBytes(): number {
    return this.headBytes;
  }

  /**
   * From now on: a head still open grows up to `bytes`; one already past it closes, keeping what it holds. A head that
   * closed (a chunk went past it) does not open again: the bytes after it may be gone.
   */
  setHeadBytes(bytes: number): void {
    this.headBytes = bytes;
  }

  /** Index of the oldest chunk that eviction may take (Infinity when none). */
  oldestIndex(): number {
    return this.chunks[this.tailStart]?.index ?? Infinity;
  }

  /** Counts and stores one chunk; returns what the data event needs, with the bytes as kept (see KeepMode). */
  record(
    direction: Direction,
    given: Buffer,
    at: number,
    mode: KeepMode = 'none',
  ): { index: number; offset: number; bytes: Buffer; recycled: boolean } {
    const charge = given.length + CHUNK_OVERHEAD_BYTES;
    const head = this.heads[direction];
    const inHead = head.open && this.admitToHead(head, given.length, charge);
    const { bytes, slab } = this.keep(given, inHead && mode === 'recycle' ? 'own' : mode);
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
      const chunk: StoredChunk = { index, direction, at, offset, bytes, slab };
      this.heldBytes += bytes.length;
      this.accountedBytes += charge;
      if (inHead) {
        this.headChunks.push(chunk);
        head.end += bytes.length;
        this.store.addedHead(bytes.length, charge);
      } else {
        this.chunks.push(chunk);
        this.store.added(this, index, bytes.length, charge);
        while (this.accountedBytes > this.store.perConnectionBytes && this.tailStart < this.chunks.length)
          this.evictOldest();
        this.store.enforceTotal();
      }
    }
    return { index, offset, bytes, recycled: slab !== null };
  }

  /** Whether the chunk with this index is still stored (a recycled chunk's bytes are valid exactly that long). */
  holds(index: number): boolean {
    if (this.forgotten || index > this.lastIndex) return false;
    // Eviction takes the tail in index order: everything from its oldest on is held, in the tail or the head.
    return index >= this.oldestIndex() || this.headChunk(index) !== null;
  }

  /** The stored bytes of one chunk; null once evicted. */
  bytesOf(index: number): Buffer | null {
    if (!this.holds(index)) return null;
    const head = this.headChunk(index);
    if (head) return head.bytes;
    const c = this.chunks[firstAfter(this.chunks, this.tailStart, index - 1)];
    return c?.index === index ? c.bytes : null;
  }

  private headChunk(index: number): StoredChunk | null {
    const c = this.headChunks[firstAfter(this.headChunks, 0, index - 1)];
    return c?.index === index ? c : null;
  }

  /**
   * Whether the next chunk (`length` bytes costing `charge`) still fits this direction's head; closes it for good if
   * not. The head size counts payload, as the user asks for it; the halves of the caps count what the caps count.
   */
  private admitToHead(head: Head, length: number, charge: number): boolean {
    const store = this.store;
    const fits =
      !this.forgotten &&
      head.end + length <= this.headBytes &&
      this.heads.in.accounted + this.heads.out.accounted + charge <= store.perConnectionBytes / 2 &&
      store.headAccountedBytes + charge <= store.totalCapBytes / 2;
    if (!fits) {
      head.open = false;
      return false;
    }
    head.accounted += charge;
    return true;
  }

  private keep(given: Buffer, mode: KeepMode): { bytes: Buffer; slab: Slab | null } {
    if (mode === 'none') return { bytes: given, slab: null };
    const storable = !this.forgotten && given.length <= this.store.perConnectionBytes;
    if (mode === 'own' || !storable || given.length < SLAB_MIN_CHUNK) return { bytes: ownCopy(given), slab: null };
    let slab = this.slab;
    if (!slab || slab.used + given.length > slab.buffer.length) {
      this.retireSlab();
      slab = this.slab = this.store.slabs.take(given.length);
      if (!slab) return { bytes: ownCopy(given), slab: null }; // every slab in use: the fallback stays correct
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

  /** Evicts the oldest chunk outside the head. */
  evictOldest(): void {
    const c = this.chunks[this.tailStart];
    if (!c) return;
    this.chunks[this.tailStart++] = undefined as unknown as StoredChunk;
    if (this.tailStart > 1024 && this.tailStart * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.tailStart);
      this.tailStart = 0;
    }
    const length = c.bytes.length;
    this.heldBytes -= length;
    this.accountedBytes -= length + CHUNK_OVERHEAD_BYTES;
    this.droppedBytes += length;
    this.droppedChunks++;
    this.evicted[c.direction] += length;
    this.store.removed(length, length + CHUNK_OVERHEAD_BYTES);
    this.release(c);
  }

  /** Chunks with index > since, oldest first: the head's and the tail's merged. */
  list(since: number, limit: number, direction?: Direction): ChunkPage {
    const out: Chunk[] = [];
    const head = this.headChunks;
    const tail = this.chunks;
    let h = firstAfter(head, 0, since);
    let t = firstAfter(tail, this.tailStart, since);
    while (h < head.length || t < tail.length) {
      const fromHead = t >= tail.length || (h < head.length && head[h]!.index < tail[t]!.index);
      const c = fromHead ? head[h++]! : tail[t++]!;
      if (direction && c.direction !== direction) continue;
      if (out.length === limit) return { chunks: out, more: true };
      out.push(toWire(c));
    }
    return { chunks: out, more: false };
  }

  /** Per direction, the stream range evicted between the head and the oldest chunk after it (none when nothing was). */
  gaps(): CaptureGap[] {
    const out: CaptureGap[] = [];
    for (const direction of ['in', 'out'] as const) {
      const evicted = this.evicted[direction];
      const start = this.heads[direction].end;
      if (evicted > 0) out.push({ direction, start, end: start + evicted });
    }
    return out;
  }

  /** Bytes of one direction so far (captured or not). */
  total(direction: Direction): number {
    return direction === 'in' ? this.bytesIn : this.bytesOut;
  }

  /** Stream offset of the oldest byte of one direction still stored; the total when none is. */
  oldestOffset(direction: Direction): number {
    for (const c of this.headChunks) if (c.direction === direction) return c.offset;
    for (let i = this.tailStart; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c.direction === direction) return c.offset;
    }
    return this.total(direction);
  }

  /**
   * The stored chunks of one direction, oldest first: its head, then the newest chunks. Offsets ascend; where they
   * jump, the bytes between were evicted (see gaps()).
   */
  stored(direction: Direction): { index: number; offset: number; bytes: Buffer }[] {
    const out: { index: number; offset: number; bytes: Buffer }[] = [];
    for (const c of this.headChunks) if (c.direction === direction) out.push(c);
    for (let i = this.tailStart; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c.direction === direction) out.push(c);
    }
    return out;
  }

  /** Releases the stored bytes (not the counters): the row is being forgotten. */
  forget(): void {
    if (this.forgotten) return;
    const tailChunks = this.chunks.length - this.tailStart;
    let tailBytes = 0;
    for (let i = this.tailStart; i < this.chunks.length; i++) {
      tailBytes += this.chunks[i]!.bytes.length;
      this.release(this.chunks[i]!);
    }
    const headBytes = this.heldBytes - tailBytes;
    const headAccounted = this.heads.in.accounted + this.heads.out.accounted;
    this.store.removed(tailBytes, tailBytes + tailChunks * CHUNK_OVERHEAD_BYTES, tailChunks);
    this.store.removedHead(headBytes, headAccounted);
    this.retireSlab();
    this.forgotten = true;
    this.chunks = [];
    this.headChunks = [];
    this.tailStart = 0;
    this.heldBytes = 0;
    this.accountedBytes = 0;
  }
}

export class CaptureStore {
  /** Payload bytes held by all connections (heads included). */
  totalBytes = 0;
  /** What captureTotalBytes counts: payload plus CHUNK_OVERHEAD_BYTES per chunk held. */
  accountedBytes = 0;
  /** The part of accountedBytes that is head chunks: at most half the total cap. */
  headAccountedBytes = 0;
  /** Chunks eviction may take (not head chunks): what the arrival queue refers to. */
  private heldChunks = 0;
  // Global arrival order of the evictable chunks; refs to chunks already evicted per connection are stale and skipped.
  private fifo: ChunkRef[] = [];
  private fifoHead = 0;

  /** Recycled storage for copied chunks, at most as large as the total cap. */
  readonly slabs: SlabPool;

  /**
   * @param headBytes the head each new connection starts with (captureHeadBytes); 0 keeps none
   */
  constructor(
    readonly perConnectionBytes: number,
    readonly totalCapBytes: number,
    readonly headBytes = 0,
  ) {
    this.slabs = new SlabPool(totalCapBytes);
  }

  create(headBytes = this.headBytes): ConnectionCapture {
    return new ConnectionCapture(this, headBytes);
  }

  added(capture: ConnectionCapture, index: number, length: number, accounted: number): void {
    this.fifo.push({ capture, index });
    this.totalBytes += length;
    this.accountedBytes += accounted;
    this.heldChunks++;
  }

  addedHead(length: number, accounted: number): void {
    this.totalBytes += length;
    this.accountedBytes += accounted;
    this.headAccountedBytes += accounted;
  }

  removed(length: number, accounted: number, chunks = 1): void {
    this.totalBytes -= length;
    this.accountedBytes -= accounted;
    this.heldChunks -= chunks;
  }

  removedHead(length: number, accounted: number): void {
    this.totalBytes -= length;
    this.accountedBytes -= accounted;
    this.headAccountedBytes -= accounted;
  }

  enforceTotal(): void {
    while (this.accountedBytes > this.totalCapBytes && this.fifoHead < this.fifo.length) {
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
