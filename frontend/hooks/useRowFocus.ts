// Keyboard navigation of a virtualized table: what each key does, and a selection that scrolls to its row and focuses it
// once rendered (it may not be yet). A row selected elsewhere (a form, another pane) is scrolled into view too.
import type { Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import type { Store } from '../state/store';
import type { TableView, ViewItem } from '../state/table-view';

export interface RowFocus {
  selectedIndex: number;
  /** Select row `index` (clamped), scroll to it and focus it. */
  moveTo(index: number): void;
}

export function useRowFocus(
  store: Store,
  view: TableView,
  selected: string | null,
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  body: RefObject<HTMLTableSectionElement | null>,
): RowFocus {
  const { items } = view;
  const pendingFocus = useRef<string | null>(null);
  const focusPending = useCallback(() => {
    const id = pendingFocus.current;
    const el = id ? body.current?.querySelector<HTMLElement>(`tr[data-id="${id}"]`) : null;
    if (!el) return;
    pendingFocus.current = null;
    el.focus({ preventScroll: true });
  }, [body]);
  useLayoutEffect(focusPending);

  const moveTo = useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(items.length - 1, index));
      const item = items[i];
      if (!item) return;
      store.select(item.row.id);
      pendingFocus.current = item.row.id;
      virtualizer.scrollToIndex(i, { align: 'auto' });
      focusPending();
    },
    [items, store, virtualizer, focusPending],
  );

  const selectedIndex = selected === null ? -1 : (view.index.get(selected) ?? -1);
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (selectedIndex < 0 || revealed.current === selected) return;
    revealed.current = selected;
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selected, selectedIndex, virtualizer]);

  return { selectedIndex, moveTo };
}

export type KeyTarget = number | 'open' | 'toggle' | 'none';

/** What a key does on row `from`: an index to move to, open the detail, collapse/expand, or nothing. */
export function keyTarget(
  key: string,
  from: number,
  item: ViewItem,
  items: readonly ViewItem[],
  page: number,
): KeyTarget {
  switch (key) {
    case 'ArrowDown':
      return from + 1;
    case 'ArrowUp':
      return from - 1;
    case 'PageDown':
      return from + page;
    case 'PageUp':
      return from - page;
    case 'Home':
      return 0;
    case 'End':
      return items.length - 1;
    case 'Enter':
      return 'open';
    case 'ArrowRight':
      return item.type === 'listener' && !item.expanded ? 'toggle' : 'none';
    case 'ArrowLeft':
      if (item.type === 'listener') return item.expanded ? 'toggle' : 'none';
      if (item.depth === 1) return findParent(items, from);
      return 'none';
    default:
      return 'none';
  }
}

function findParent(items: readonly ViewItem[], from: number): number {
  for (let i = from - 1; i >= 0; i--) if (items[i]?.type === 'listener') return i;
  return from;
}
