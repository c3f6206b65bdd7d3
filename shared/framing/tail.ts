// The pending tail of a stream: the bytes not yet cut into a message, merged into one buffer of its own however small
// the reads were (a segment per read cost ~260 bytes of heap per 1-byte read, outside every budget), and which reads
// they came from (ReadList, bounded).
import { ReadList, type ReadsSpanned } from './read-list';

export interface Taken extends ReadsSpanned {
  bytes: Uint8Array;
}

const EMPTY: Uint8Array = new Uint8Array(0);
/** Smallest buffer allocated, and the largest kept for reuse once emptied (a 1 MiB frame's is let go). */
const MIN_CAPACITY = 256;
const KEEP_CAPACITY = 64 * 1024;

export class StreamTail {
  /** The bytes held of earlier reads: buf[from, from + owned). */
  private buf = EMPTY;
  private from = 0;
  private owned = 0;
  /** The rest of the read being fed, not copied yet: the caller's bytes, valid until adopt(). */
  private incoming = EMPTY;
  private incomingFrom = 0;
  private readonly readList = new ReadList();
  /** Bytes held: owned plus what is left of the incoming read. */
  length = 0;

  /** @param start stream offset of the first byte the tail will hold */
  constructor(public start = 0) {}

  get end(): number {
    return this.start + this.length;
  }

  /** Bytes allocated for the tail's own buffer: about `length`, whatever the number of reads. */
  get capacity(): number {
    return this.buf.length;
  }

  /** The next read; its bytes are looked at where they are until adopt() copies what is left of them. */
  push(bytes: Uint8Array, read: number): void {
    if (bytes.length === 0) return;
    this.adopt();
    this.incoming = bytes;
    this.incomingFrom = 0;
    this.length += bytes.length;
    this.readList.add(read);
  }

  /**
   * What is left of the read fed last joins the tail's own buffer: the caller's bytes may be a recycled read buffer,
   * and a frame's start is all that is copied of them (frames cut from the read were copied out by take()).
   */
  adopt(): void {
    const rest = this.incoming.length - this.incomingFrom;
    if (rest > 0) {
      this.reserve(rest);
      this.buf.set(this.incoming.subarray(this.incomingFrom), this.from + this.owned);
      this.owned += rest;
    }
    this.incoming = EMPTY;
    this.incomingFrom = 0;
  }

  /** Reads the bytes held came from, oldest first (bounded, see ReadList). */
  reads(): ReadsSpanned {
    return this.readList.summary();
  }

  /** A copy of the first n bytes (n <= length). */
  peek(n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.copyOut(out, false);
    return out;
  }

  /**
   * Removes and returns the first n bytes (n <= length) with the reads they came from. The decoders cut only inside
   * the newest read (a frame ends in the read that completed it; every earlier cut was taken at its own read), so
   * every read held goes to the message and what stays is the rest of the newest.
   */
  take(n: number): Taken {
    const bytes = new Uint8Array(n);
    this.copyOut(bytes, true);
    const spanned = this.readList.summary();
    this.start += n;
    this.length -= n;
    this.readList.reset(this.length > 0);
    if (this.owned === 0) this.emptied();
    return { bytes, ...spanned };
  }

  /** Lets go of every byte held; the next byte pushed is at stream offset `end` (or `at`, past a gap). */
  clear(at = this.end): void {
    this.from = this.owned = this.length = 0;
    this.incoming = EMPTY;
    this.incomingFrom = 0;
    this.readList.reset(false);
    this.start = at;
    this.emptied();
  }

  /** All bytes held, concatenated (for the pending view). */
  bytes(): Uint8Array {
    return this.peek(this.length);
  }

  /** Fills `out` from the front: owned bytes first, then the incoming read's; `consume` removes what was copied. */
  private copyOut(out: Uint8Array, consume: boolean): void {
    const fromOwned = Math.min(out.length, this.owned);
    out.set(this.buf.subarray(this.from, this.from + fromOwned));
    const fromIncoming = out.length - fromOwned;
    if (fromIncoming > 0)
      out.set(this.incoming.subarray(this.incomingFrom, this.incomingFrom + fromIncoming), fromOwned);
    if (!consume) return;
    this.from += fromOwned;
    this.owned -= fromOwned;
    this.incomingFrom += fromIncoming;
  }

  /** Room for n more owned bytes: moved to the front, or a buffer a quarter larger (bounded overshoot). */
  private reserve(n: number): void {
    const need = this.owned + n;
    if (this.from + need <= this.buf.length) return;
    if (need <= this.buf.length) {
      this.buf.copyWithin(0, this.from, this.from + this.owned);
    } else {
      const next = new Uint8Array(Math.max(need, this.buf.length + (this.buf.length >>> 2), MIN_CAPACITY));
      next.set(this.buf.subarray(this.from, this.from + this.owned));
      this.buf = next;
    }
    this.from = 0;
  }

  private emptied(): void {
    this.from = 0;
    if (this.buf.length > KEEP_CAPACITY) this.buf = EMPTY;
  }
}
