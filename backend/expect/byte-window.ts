// The bytes a regex expect may still need, by stream offset: appended read by read, dropped from the front. Small reads
// are copied into shared 64 KiB blocks, so a peer writing a byte at a time costs its bytes, not an object per byte.
const BLOCK_BYTES = 64 * 1024;

interface Part {
  offset: number;
  bytes: Buffer;
  /** Free room after `bytes` in its block (only the last part grows). */
  room: number;
}

export class ByteWindow {
  private parts: Part[] = [];

  /** Where the held bytes start and end (the end is where the next read goes). */
  constructor(private end: number) {}

  /** Copies the next bytes in: the caller's buffer may be recycled. */
  append(bytes: Buffer): void {
    const last = this.parts[this.parts.length - 1];
    if (last && last.room >= bytes.length) {
      const grown = Buffer.from(last.bytes.buffer, last.bytes.byteOffset, last.bytes.length + bytes.length);
      bytes.copy(grown, last.bytes.length);
      last.bytes = grown;
      last.room -= bytes.length;
    } else if (bytes.length < BLOCK_BYTES / 4) {
      const block = Buffer.allocUnsafe(BLOCK_BYTES);
      bytes.copy(block);
      this.parts.push({ offset: this.end, bytes: block.subarray(0, bytes.length), room: BLOCK_BYTES - bytes.length });
    } else this.parts.push({ offset: this.end, bytes: Buffer.from(bytes), room: 0 });
    this.end += bytes.length;
  }

  /** Forgets whole parts that end at or before `offset` (the last part stays: it is where reads go). */
  dropBefore(offset: number): void {
    let drop = 0;
    while (drop < this.parts.length - 1 && this.parts[drop]!.offset + this.parts[drop]!.bytes.length <= offset) drop++;
    if (drop > 0) this.parts.splice(0, drop);
  }

  /** Everything; the next read goes at `offset`. */
  reset(offset: number): void {
    this.parts = [];
    this.end = offset;
  }

  /** The bytes from `from` to `to` (both held). */
  slice(from: number, to: number): Buffer {
    const out: Buffer[] = [];
    for (let k = this.partAt(from); k < this.parts.length; k++) {
      const part = this.parts[k]!;
      if (part.offset >= to) break;
      out.push(part.bytes.subarray(Math.max(0, from - part.offset), Math.min(part.bytes.length, to - part.offset)));
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** The index of the part holding `offset` (parts are contiguous and ordered). */
  private partAt(offset: number): number {
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.parts[mid]!.offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
