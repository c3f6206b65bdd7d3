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

/** A row's value in the sorted column; null (missing) sorts last in both directions. */
export type SortKey = string | number | null;

export function compareKeys(a: SortKey, b: SortKey, sign: number): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -sign : sign;
}

// IPv4 sorts numerically (10.x before 127.x), before IPv6; then the port.
export function endpointKey(e: { address: string; port: number } | null): string | null {
  if (!e) return null;
  const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(e.address);
  const addr = v4
    ? `4${e.address
        .split('.')
        .map((o) => o.padStart(3, '0'))
        .join('.')}`
    : `6${e.address}`;
  return `${addr} ${String(e.port).padStart(5, '0')}`;
}
