// The pending tail of a stream: the bytes not yet cut into a message, as the reads delivered them (never re-copied per read).
export interface Taken {
  bytes: Uint8Array;
  reads: number[];
}

interface Segment {
  bytes: Uint8Array;
  read: number;
}

export class StreamTail {
  private segments: Segment[] = [];
  private head = 0;
  /** Bytes held. */
  length = 0;

  /** @param start stream offset of the first byte the tail will hold */
  constructor(public start = 0) {}

  get end(): number {
    return this.start + this.length;
  }

  push(bytes: Uint8Array, read: number): void {
    if (bytes.length === 0) return;
    this.segments.push({ bytes, read });
    this.length += bytes.length;
  }

  /**
   * The bytes of read `read` still held become a copy of their own: the caller's are valid only during its call (a
   * recycled read buffer), and what is left of them here is the start of a frame still to come.
   */
  own(read: number): void {
    const last = this.segments[this.segments.length - 1];
    if (this.segments.length > this.head && last?.read === read) last.bytes = last.bytes.slice();
  }

  /** Read indexes of the bytes held, oldest first. */
  reads(): number[] {
    return dedupe(this.segments.slice(this.head).map((s) => s.read));
  }

  /** A copy of the first n bytes (n <= length): for headers, which are small. */
  peek(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    for (let i = this.head; i < this.segments.length && filled < n; i++) {
      const s = this.segments[i]!;
      const part = s.bytes.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  /** Removes and returns the first n bytes (n <= length) with the reads they came from. */
  take(n: number): Taken {
    const out = new Uint8Array(n);
    const reads: number[] = [];
    let filled = 0;
    while (filled < n) {
      const s = this.segments[this.head]!;
      const part = s.bytes.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
      reads.push(s.read);
      if (part.length === s.bytes.length) this.segments[this.head++] = undefined as unknown as Segment;
      else s.bytes = s.bytes.subarray(part.length);
    }
    if (this.head > 64 && this.head * 2 > this.segments.length) {
      this.segments = this.segments.slice(this.head);
      this.head = 0;
    }
    this.length -= n;
    this.start += n;
    return { bytes: out, reads: dedupe(reads) };
  }

  /** Lets go of every byte held; the next byte pushed is at stream offset `end` (or `at`, past a gap). */
  clear(at = this.end): void {
    this.segments = [];
    this.head = 0;
    this.length = 0;
    this.start = at;
  }

  /** All bytes held, concatenated (for the pending view). */
  bytes(): Uint8Array {
    return this.peek(this.length);
  }
}

function dedupe(reads: number[]): number[] {
  return reads.filter((r, i) => i === 0 || r !== reads[i - 1]);
}
