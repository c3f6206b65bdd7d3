// Rows by id in insertion order, persistent: an edit copies the chunks it touches, not every row, so folding a batch
// into 10,000 rows costs what the batch touches. Positions never move within a lineage (the versions made by edits of
// one `from`), which lets two versions be compared chunk by chunk.
const SHIFT = 6;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

interface Keyed {
  readonly id: string;
}

export class RowMap<R extends Keyed> implements ReadonlyMap<string, R> {
  /**
   * Made by `from` and `RowMapEdit.done`.
   * @param index id -> position, shared by the versions of a lineage: append-only, so a version trusts only the
   *   positions below its own size
   */
  constructor(
    private readonly chunks: readonly (readonly R[])[],
    readonly size: number,
    private readonly index: Map<string, number>,
    private readonly lineage: object,
  ) {}

  static from<R extends Keyed>(rows: Iterable<R>): RowMap<R> {
    const edit = new RowMapEdit<R>([], 0, new Map(), {});
    for (const r of rows) edit.set(r);
    return edit.done();
  }

  /** An edit of `map` (any map: one that is not a RowMap is copied once). */
  static edit<R extends Keyed>(map: ReadonlyMap<string, R>): RowMapEdit<R> {
    const base = map instanceof RowMap ? (map as RowMap<R>) : RowMap.from(map.values());
    return new RowMapEdit(base.chunks, base.size, base.index, base.lineage);
  }

  get(id: string): R | undefined {
    return rowAt(this.chunks, this.size, this.index.get(id), id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  values(): MapIterator<R> {
    return new RowIterator(this.chunks);
  }

  *keys(): MapIterator<string> {
    for (const chunk of this.chunks) for (const r of chunk) yield r.id;
  }

  *entries(): MapIterator<[string, R]> {
    for (const chunk of this.chunks) for (const r of chunk) yield [r.id, r];
  }

  [Symbol.iterator](): MapIterator<[string, R]> {
    return this.entries();
  }

  forEach(fn: (row: R, id: string, map: ReadonlyMap<string, R>) => void, thisArg?: unknown): void {
    for (const chunk of this.chunks) for (const r of chunk) fn.call(thisArg, r, r.id, this);
  }

  /**
   * What changed from an earlier version of the same lineage, position by position: skips the chunks both share.
   * null when `before` is not such a version (the caller compares by id instead).
   */
  changesSince(before: ReadonlyMap<string, R>): RowChange<R>[] | null {
    if (!(before instanceof RowMap) || before.lineage !== this.lineage || before.size > this.size) return null;
    const other = before as RowMap<R>;
    const changes: RowChange<R>[] = [];
    for (let c = 0; c < this.chunks.length; c++) {
      const mine = this.chunks[c]!;
      const theirs = other.chunks[c];
      if (mine === theirs) continue;
      for (let i = 0; i < mine.length; i++) {
        const after = mine[i]!;
        const was = theirs?.[i];
        if (was === after) continue;
        if (was !== undefined && was.id !== after.id) return null; // a sibling version, not an earlier one
        changes.push({ before: was, after });
      }
    }
    return changes;
  }
}

// A plain iterator, not a generator: the header counts every row on each frame, and this is several times faster.
class RowIterator<R> implements MapIterator<R> {
  private c = 0;
  private i = 0;
  constructor(private readonly chunks: readonly (readonly R[])[]) {}
  next(): IteratorResult<R, undefined> {
    for (;;) {
      const chunk = this.chunks[this.c];
      if (chunk === undefined) return { done: true, value: undefined };
      if (this.i < chunk.length) return { done: false, value: chunk[this.i++]! };
      this.c++;
      this.i = 0;
    }
  }
  [Symbol.iterator](): MapIterator<R> {
    return this;
  }
}

function rowAt<R extends Keyed>(
  chunks: readonly (readonly R[])[],
  size: number,
  pos: number | undefined,
  id: string,
): R | undefined {
  if (pos === undefined || pos >= size) return undefined;
  const row = chunks[pos >> SHIFT]?.[pos & MASK];
  return row?.id === id ? row : undefined;
}

export interface RowChange<R> {
  /** undefined: a new id. */
  readonly before: R | undefined;
  readonly after: R;
}

/** Copy-on-write edit of a RowMap: the outer array once, each chunk on its first write. Use once, then `done()`. */
export class RowMapEdit<R extends Keyed> {
  private readonly chunks: (readonly R[])[];
  private readonly owned = new Set<number>();
  private finished = false;

  constructor(
    base: readonly (readonly R[])[],
    private size: number,
    private index: Map<string, number>,
    private readonly lineage: object,
  ) {
    this.chunks = base.slice();
  }

  get(id: string): R | undefined {
    return rowAt(this.chunks, this.size, this.index.get(id), id);
  }

  /** Replaces the row with this id in place, or appends it. */
  set(row: R): void {
    if (this.finished) throw new Error('RowMapEdit used after done()');
    let pos = this.index.get(row.id);
    if (pos === undefined || rowAt(this.chunks, this.size, pos, row.id) === undefined) {
      // Another version appended to the shared index since our base: keep our own copy from here on.
      if (this.index.size !== this.size) this.index = new Map([...this.index].filter(([, p]) => p < this.size));
      pos = this.size++;
      this.index.set(row.id, pos);
    }
    this.chunkFor(pos >> SHIFT)[pos & MASK] = row;
  }

  done(): RowMap<R> {
    this.finished = true;
    return new RowMap(this.chunks, this.size, this.index, this.lineage);
  }

  private chunkFor(c: number): R[] {
    if (!this.owned.has(c)) {
      this.chunks[c] = this.chunks[c]?.slice() ?? [];
      this.owned.add(c);
    }
    return this.chunks[c] as R[];
  }
}

/**
 * The rows of `after` that are not the same object as the row with their id in `before` (before: that row, or
 * undefined for a new id). Cheap for two versions of one RowMap; otherwise a scan by id. Removed ids are not listed.
 */
export function changedRows<R extends Keyed>(
  before: ReadonlyMap<string, R>,
  after: ReadonlyMap<string, R>,
): RowChange<R>[] {
  if (before === after) return [];
  const fast = after instanceof RowMap ? (after as RowMap<R>).changesSince(before) : null;
  if (fast) return fast;
  const changes: RowChange<R>[] = [];
  for (const row of after.values()) {
    const was = before.get(row.id);
    if (was !== row) changes.push({ before: was, after: row });
  }
  return changes;
}
