// The workspace split as state: which axis the layout uses (a media query), the table's share, remembered.
import { useCallback, useEffect, useState } from 'react';
import { loadSplit, saveSplit, type Split, type SplitAxis } from '../state/split';

/** Matches the stylesheet's breakpoint where the detail pane moves beside the table. */
const WIDE = '(min-width: 1700px)';

const storage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

const wideQuery = (): MediaQueryList | null =>
  typeof window.matchMedia === 'function' ? window.matchMedia(WIDE) : null;

function useAxis(): SplitAxis {
  const [wide, setWide] = useState(() => wideQuery()?.matches ?? false);
  useEffect(() => {
    const query = wideQuery();
    if (!query) return;
    const onChange = () => setWide(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return wide ? 'columns' : 'rows';
}

export function useSplit() {
  const axis = useAxis();
  const [split, setSplit] = useState<Split>(() => loadSplit(storage()));
  /** Moves the divider; `remember` writes it to localStorage (at the end of a drag, on each key). */
  const set = useCallback(
    (pct: number, remember: boolean) =>
      setSplit((s) => {
        const next = s[axis] === pct ? s : { ...s, [axis]: pct };
        if (remember) saveSplit(storage(), next);
        return next;
      }),
    [axis],
  );
  return { axis, pct: split[axis], set };
}
