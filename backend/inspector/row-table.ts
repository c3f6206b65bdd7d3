// Rows by id in creation order, a live count, and a bounded tail of closed rows (oldest forgotten first).
export class RowTable<T> {
  live = 0;
  private readonly rows = new Map<string, T>();
  private readonly closed: string[] = [];

  constructor(
    private readonly maxClosed: number,
    private readonly onForget: (row: T) => void = () => {},
  ) {}

  add(id: string, row: T): void {
    this.rows.set(id, row);
    this.live++;
  }

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  terminated(id: string): void {
    this.live--;
    this.closed.push(id);
    while (this.closed.length > this.maxClosed) {
      const old = this.closed.shift()!;
      const row = this.rows.get(old);
      this.rows.delete(old);
      if (row !== undefined) this.onForget(row);
    }
  }
}
