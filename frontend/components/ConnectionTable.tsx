// The connection table: a real <table>, virtualized rows between two spacer rows, roving focus, keys and clicks
// handled once on the <tbody>. The view (filter, sort, tree) is recomputed only when the table or the options change.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useImperativeHandle, useRef, type KeyboardEvent, type MouseEvent, type Ref } from 'react';
import { keyTarget, useRowFocus } from '../hooks/useRowFocus';
import { useTableView } from '../hooks/useTableView';
import type { SortColumn, ViewOptions } from '../state/table-view';
import { useUi, type Store, type UiState } from '../state/store';
import { COLUMNS, TableHead } from './TableHead';
import { ConnectionRowView, ListenerRowView } from './TableRows';
import { TableStatus } from './TableStatus';

/** Fixed heights (styles.css uses the same): every row is exactly ROW_H, so nothing needs measuring. */
export const ROW_H = 24;
export const HEAD_H = 28;

export interface TableHandle {
  /** Focus the selected row (or the first), scrolling it into view. */
  focusSelected(): void;
}

interface Props {
  store: Store;
  options: ViewOptions;
  onSort: (column: SortColumn) => void;
  onToggle: (listenerId: string) => void;
  /** Enter or double click on a row: show its detail. */
  onOpen: (id: string) => void;
  handle?: Ref<TableHandle>;
}

const selectTable = (s: UiState) => s.table;
const selectSelected = (s: UiState) => s.selected;
const selectLink = (s: UiState) => s.link;

const rowOf = (target: EventTarget) => (target as HTMLElement).closest<HTMLTableRowElement>('tr[data-id]');

export function ConnectionTable(props: Props) {
  const { store, options, onToggle, onOpen } = props;
  const table = useUi(store, selectTable);
  const selected = useUi(store, selectSelected);
  const link = useUi(store, selectLink);
  const view = useTableView(table, options);
  const items = view.items;

  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    // Rows beyond the viewport are styled, laid out and painted on every frame of a busy stream too: five (120 px)
    // cover a wheel step; ten cost about a tenth more page time under B5's load.
    overscan: 5,
    paddingStart: HEAD_H,
    scrollPaddingStart: HEAD_H, // the sticky header covers that much of the viewport
    useFlushSync: false, // React 19 warns when a scroll lands inside a commit (e.g. scrolling to a selected row)
  });
  const windowed = virtualizer.getVirtualItems();

  const { selectedIndex, moveTo } = useRowFocus(store, view, selected, virtualizer, bodyRef);
  useImperativeHandle(props.handle, () => ({ focusSelected: () => moveTo(Math.max(0, selectedIndex)) }), [
    moveTo,
    selectedIndex,
  ]);

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const tr = rowOf(e.target);
    if (!tr || e.altKey || e.ctrlKey || e.metaKey) return;
    const from = Number(tr.dataset.index);
    const item = items[from];
    if (!item) return;
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 0) - HEAD_H) / ROW_H) - 1);
    const target = keyTarget(e.key, from, item, items, page);
    if (target === 'none') return;
    e.preventDefault();
    if (target === 'open') onOpen(item.row.id);
    else if (target === 'toggle') onToggle(item.row.id);
    else moveTo(target);
  };

  const onClick = (e: MouseEvent<HTMLTableSectionElement>) => {
    const toggle = (e.target as HTMLElement).closest<HTMLElement>('[data-toggle]');
    if (toggle?.dataset.toggle) onToggle(toggle.dataset.toggle);
    const id = rowOf(e.target)?.dataset.id;
    if (id) store.select(id);
  };
  const onDoubleClick = (e: MouseEvent<HTMLTableSectionElement>) => {
    const id = rowOf(e.target)?.dataset.id;
    if (id && !(e.target as HTMLElement).closest('[data-toggle]')) onOpen(id);
  };

  const first = windowed[0];
  const last = windowed[windowed.length - 1];
  const top = first ? first.start - HEAD_H : 0;
  const bottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const selectedShown = windowed.some((v) => v.index === selectedIndex);
  const tabbableIndex = selectedShown ? selectedIndex : first?.index;

  return (
    <div className="table-pane">
      <div className="table-scroll" ref={scrollRef}>
        <table
          aria-label="Connections"
          aria-rowcount={items.length + 1}
          className={link === 'live' || link === 'lagged' ? 'connections' : 'connections stale'}
        >
          <colgroup>
            {COLUMNS.map((c) => (
              <col key={c.id} className={`w-${c.id}`} />
            ))}
          </colgroup>
          <TableHead sort={options.sort} onSort={props.onSort} />
          <tbody ref={bodyRef} onKeyDown={onKeyDown} onClick={onClick} onDoubleClick={onDoubleClick}>
            {top > 0 && <Spacer height={top} />}
            {windowed.map((v) => {
              const item = items[v.index];
              if (!item) return null;
              const common = {
                index: v.index,
                selected: item.row.id === selected,
                tabbable: v.index === tabbableIndex,
              };
              return item.type === 'listener' ? (
                <ListenerRowView
                  key={item.row.id}
                  {...common}
                  row={item.row}
                  expanded={item.expanded}
                  childCount={item.children}
                  context={item.context}
                />
              ) : (
                <ConnectionRowView
                  key={item.row.id}
                  {...common}
                  row={item.row}
                  depth={item.depth}
                  orphan={item.orphan}
                />
              );
            })}
            {bottom > 0 && <Spacer height={bottom} />}
            {items.length === 0 && <EmptyRow total={view.total} link={link} />}
          </tbody>
        </table>
      </div>
      <TableStatus matching={view.matching} total={view.total} sort={options.sort} />
    </div>
  );
}

function Spacer(props: { height: number }) {
  return (
    <tr className="spacer" aria-hidden="true" style={{ height: props.height }}>
      <td colSpan={COLUMNS.length} />
    </tr>
  );
}

function EmptyRow(props: { total: number; link: string }) {
  const text =
    props.total > 0
      ? 'No rows match the filter.'
      : props.link === 'connecting'
        ? 'Connecting to the event stream…'
        : 'No listeners or connections yet: open one with New listener or New connection.';
  return (
    <tr className="empty">
      <td colSpan={COLUMNS.length}>{text}</td>
    </tr>
  );
}
