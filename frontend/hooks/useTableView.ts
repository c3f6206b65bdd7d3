// The table's view for the current options, memoised on table identity; a lagging live sort is redone once values
// stop changing (see createViewMemo).
import { useEffect, useMemo, useState } from 'react';
import type { TableState } from '../state/fold';
import { createViewMemo, type TableView, type ViewOptions } from '../state/table-view';

const RESORT_MS = 300;

export function useTableView(table: TableState, options: ViewOptions): TableView {
  const [viewOf] = useState(createViewMemo);
  const [epoch, setEpoch] = useState(0);
  const view = useMemo(() => viewOf(table, options, epoch), [viewOf, table, options, epoch]);
  useEffect(() => {
    if (!view.staleOrder) return;
    const t = setTimeout(() => setEpoch((e) => e + 1), RESORT_MS);
    return () => clearTimeout(t);
  }, [view]);
  return view;
}
