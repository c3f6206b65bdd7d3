// The table/detail split: the table's share of the workspace in percent, per layout, kept in localStorage.
export type SplitAxis = 'rows' | 'columns';
export type Split = Readonly<Record<SplitAxis, number>>;

export const SPLIT_MIN = 15;
export const SPLIT_MAX = 85;
/** Rows: the table above takes 60%; columns (wide screens): the detail on the right keeps about a third. */
export const SPLIT_DEFAULT: Split = { rows: 60, columns: 68 };
export const SPLIT_KEY = 'sockscope.split';
/** Arrow keys move the divider this much (Shift: 1). */
export const SPLIT_STEP = 5;

export const clampSplit = (pct: number): number =>
  Math.round(Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, Number.isFinite(pct) ? pct : SPLIT_MIN)) * 10) / 10;

/** What was saved, each axis checked; anything unreadable falls back to the default. */
export function loadSplit(storage: Pick<Storage, 'getItem'> | null): Split {
  try {
    const saved: unknown = JSON.parse(storage?.getItem(SPLIT_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return SPLIT_DEFAULT;
    const pick = (axis: SplitAxis) => {
      const v = (saved as Record<string, unknown>)[axis];
      return typeof v === 'number' && Number.isFinite(v) ? clampSplit(v) : SPLIT_DEFAULT[axis];
    };
    return { rows: pick('rows'), columns: pick('columns') };
  } catch {
    return SPLIT_DEFAULT;
  }
}

export function saveSplit(storage: Pick<Storage, 'setItem'> | null, split: Split): void {
  try {
    storage?.setItem(SPLIT_KEY, JSON.stringify(split));
  } catch {
    // storage full or refused (private mode): the split still works, it is just not remembered
  }
}

/** The new share after a key on the divider, or null when the key does not move it. */
export function splitKey(pct: number, axis: SplitAxis, key: string, shift: boolean): number | null {
  const step = shift ? 1 : SPLIT_STEP;
  const less = axis === 'rows' ? 'ArrowUp' : 'ArrowLeft';
  const more = axis === 'rows' ? 'ArrowDown' : 'ArrowRight';
  if (key === less) return clampSplit(pct - step);
  if (key === more) return clampSplit(pct + step);
  if (key === 'Home') return SPLIT_MIN;
  if (key === 'End') return SPLIT_MAX;
  return null;
}

/** The share at a pointer position inside the workspace's box. */
export function splitAt(axis: SplitAxis, box: DOMRectReadOnly, x: number, y: number): number {
  const size = axis === 'rows' ? box.height : box.width;
  if (size <= 0) return SPLIT_MIN;
  return clampSplit(((axis === 'rows' ? y - box.top : x - box.left) / size) * 100);
}
