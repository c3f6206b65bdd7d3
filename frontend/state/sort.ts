// Column sorting shared by the connections table and the host table: one spec shape, one click cycle.
export interface Sort<C extends string> {
  readonly column: C;
  readonly direction: 'asc' | 'desc';
}

/** asc, desc, then back to the table's natural order (null). */
export function nextSort<C extends string>(sort: Sort<C> | null, column: C): Sort<C> | null {
  if (sort?.column !== column) return { column, direction: 'asc' };
  return sort.direction === 'asc' ? { column, direction: 'desc' } : null;
}
