// Recycled memory for the chunks the capture copies (capture.ts KeepMode 'recycle'). A slab is filled front to back
// by one connection and goes back to the pool when the last chunk in it is evicted, so a bulk transfer reuses the
// same few slabs instead of allocating a buffer per read and leaving the garbage collector to free them.
// At most floor(cap / 256 KiB) slabs exist; when all are in use chunks get copies of their own, which the capture's
// caps bound as before, so captured bytes take at most about twice captureTotalBytes. A slab stays in use while any
// chunk in it is held, so one connection holds up to about cap / 192 KiB + 2 of them (a 64 KiB read that does not fit
// retires a slab part-filled). Head chunks (capture.ts) never go into a slab: they are kept for good, and so would it be.

export interface Slab {
  buffer: Buffer;
  /** Bytes filled so far. */
  used: number;
  /** Chunks in it still held by the capture. */
  live: number;
  /** Still the slab its connection copies into: not returned even when `live` drops to 0. */
  filling: boolean;
  /** Back in the pool: a second return would let two connections fill the same memory, so it is ignored. */
  returned: boolean;
}

export const SLAB_BYTES = 256 * 1024;

/** Free slabs kept for reuse; more than this are dropped when returned (memory goes back after a burst). */
const KEEP_FREE = 16;

export class SlabPool {
  private free: Buffer[] = [];
  /** Slabs that exist: in use or free. */
  private count = 0;
  private readonly max: number;

  constructor(capBytes: number) {
    this.max = Math.floor(capBytes / SLAB_BYTES);
  }

  /** A slab with room for `bytes`, or null when all the cap allows are in use (the caller copies elsewhere). */
  take(bytes: number): Slab | null {
    if (bytes > SLAB_BYTES) return null;
    let buffer = this.free.pop();
    if (!buffer) {
      if (this.count >= this.max) return null;
      buffer = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.count++;
    }
    return { buffer, used: 0, live: 0, filling: true, returned: false };
  }

  give(slab: Slab): void {
    if (slab.returned) return;
    slab.returned = true;
    if (this.free.length < KEEP_FREE) this.free.push(slab.buffer);
    else this.count--;
  }

  /** For tests and reports: slabs in use, and free ones kept. */
  get stats(): { inUse: number; free: number } {
    return { inUse: this.count - this.free.length, free: this.free.length };
  }
}
