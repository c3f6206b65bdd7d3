// One connection's chunks as the detail pane holds them: ordered by index, deduplicated, bounded, with
// placeholders for payloads the stream left out until REST fills them in.
import { decodeBase64, type Chunk, type Direction } from '../../shared';

/** ok: bytes present; pending: payload left out of the stream, being fetched; lost: the server no longer had it. */
export type ChunkStatus = 'ok' | 'pending' | 'lost';

export interface CapturedChunk {
  readonly index: number;
  readonly direction: Direction;
  readonly at: number;
  readonly offset: number;
  readonly length: number;
  readonly bytes: Uint8Array | null;
  readonly status: ChunkStatus;
}

export const toCaptured = ({ index, direction, at, offset, length, data }: Chunk): CapturedChunk => {
  const decoded = decodeBase64(data);
  const bytes = decoded.ok ? decoded.bytes : null;
  return { index, direction, at, offset, length, bytes, status: bytes ? 'ok' : 'lost' };
};

export const placeholder = ({ index, direction, at, offset, length }: Chunk): CapturedChunk => ({
  index,
  direction,
  at,
  offset,
  length,
  bytes: null,
  status: 'pending',
});

export class CaptureLog {
  private items: CapturedChunk[] = [];
  private head = 0;
  /** Bumped when held chunks change position other than by eviction at the front; position-keyed layouts rebuild. */
  epoch = 0;
  /** Chunks evicted from the front so far: the chunk at position 0 is the `removed`-th ever held. */
  removed = 0;
  heldBytes = 0;
  /** Evicted here to stay within the pane's bounds. */
  droppedChunks = 0;
  droppedBytes = 0;
  /** Bumped when a held chunk's content changes (a placeholder filled in or given up): content-keyed layouts rebuild. */
  revisions = 0;
  /** Highest index evicted here: older chunks arriving late are ignored, not re-added. */
  private evictedThrough = 0;
  private lastByDirection: Record<Direction, number> = { in: 0, out: 0 };
  private counts: Record<ChunkStatus, number> = { ok: 0, pending: 0, lost: 0 };

  constructor(
    readonly maxBytes: number,
    readonly maxChunks: number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  at(pos: number): CapturedChunk | undefined {
    return pos < 0 ? undefined : this.items[this.head + pos];
  }

  /** Highest index held or evicted (0 when none). */
  get lastIndex(): number {
    return this.items.at(-1)?.index ?? this.evictedThrough;
  }

  /** Whether a later chunk in the same direction exists (a text decoder may then carry a split character over). */
  isFollowed(c: CapturedChunk): boolean {
    return this.lastByDirection[c.direction] > c.index;
  }

  /** The nearest earlier chunk in the same direction still held. */
  previousSameDirection(pos: number): CapturedChunk | undefined {
    const dir = this.at(pos)?.direction;
    for (let i = this.head + pos - 1; i >= this.head && i > this.head + pos - 10_000; i--) {
      if (this.items[i]!.direction === dir) return this.items[i];
    }
    return undefined;
  }

  /** Adds or completes a chunk; returns false when it was a duplicate or already evicted. */
  put(c: CapturedChunk): boolean {
    if (c.index <= this.evictedThrough) return false;
    const last = this.items.at(-1);
    if (this.size === 0 || !last || c.index > last.index) {
      this.items.push(c);
    } else {
      const i = this.find(c.index);
      const existing = this.items[i];
      if (existing?.index === c.index) {
        if (existing.status === 'ok' || c.status !== 'ok') return false;
        this.items[i] = c; // same length: positions and layouts stay valid
        this.counts[existing.status]--;
        this.counts.ok++;
        this.revisions++;
        this.heldBytes += c.length;
        this.enforce();
        return true;
      }
      this.items.splice(i, 0, c);
      this.epoch++;
    }
    if (c.status === 'ok') this.heldBytes += c.length;
    this.counts[c.status]++;
    if (c.index > this.lastByDirection[c.direction]) this.lastByDirection[c.direction] = c.index;
    this.enforce();
    return true;
  }

  /** Index of the oldest pending chunk, or null. */
  firstPending(): number | null {
    if (this.counts.pending === 0) return null;
    for (let i = this.head; i < this.items.length; i++)
      if (this.items[i]!.status === 'pending') return this.items[i]!.index;
    return null;
  }

  /** Pending chunks at or below `through` that a complete fetch did not return: the server evicted them. */
  markLost(through: number): number {
    let n = 0;
    for (let i = this.head; i < this.items.length && this.items[i]!.index <= through; i++) {
      const c = this.items[i]!;
      if (c.status !== 'pending') continue;
      this.items[i] = { ...c, status: 'lost' };
      this.counts.pending--;
      this.counts.lost++;
      this.revisions++;
      n++;
    }
    return n;
  }

  /** Counts per status, for the summary line. */
  count(status: ChunkStatus): number {
    return this.counts[status];
  }

  private find(index: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.index < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private enforce(): void {
    while (this.size > 1 && (this.heldBytes > this.maxBytes || this.size > this.maxChunks)) {
      const c = this.items[this.head]!;
      this.items[this.head++] = undefined as unknown as CapturedChunk;
      if (c.status === 'ok') this.heldBytes -= c.length;
      this.counts[c.status]--;
      this.droppedChunks++;
      this.droppedBytes += c.length;
      this.evictedThrough = c.index;
      this.removed++;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
