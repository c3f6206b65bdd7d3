// The dashboard: header, toolbar (create forms, filter), the connection table and the detail pane, on one Store.
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type RefObject,
} from 'react';
import type { ConnectionRow, ListenerRow } from '../shared';
import { ConnectionTable, type TableHandle } from './components/ConnectionTable';
import { DetailSection, type DetailHandle } from './components/DetailSection';
import { FilterBar } from './components/FilterBar';
import { Header } from './components/Header';
import { HostFilterBar } from './components/host/HostFilterBar';
import { HostView } from './components/host/HostView';
import { useHostOptions } from './components/host/use-host-options';
import { ViewTabs, viewPanelProps, type AppView } from './components/host/ViewTabs';
import { LabView } from './components/lab/LabView';
import { SplitDivider } from './components/SplitDivider';
import { nextSort } from './components/TableHead';
import { Toolbar } from './components/Toolbar';
import { useEventStream, type ConnectStream } from './hooks/useEventStream';
import { useSessionOptions } from './hooks/useSessionOptions';
import { useSplit } from './hooks/useSplit';
import { useUi, type Store, type UiState } from './state/store';
import type { SortColumn, SortSpec, StateFilter, ViewOptions } from './state/table-view';

const selectSelected = (s: UiState) => s.selected;

export function App(props: { store: Store; connect?: ConnectStream }) {
  const { store } = props;
  useEventStream(store, props.connect);
  const selected = useUi(store, selectSelected);

  const [text, setText] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const [session, setSession] = useState<string | null>(null);
  const sessions = useSessionOptions(store);
  const [sort, setSort] = useState<SortSpec | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const deferredText = useDeferredValue(text);
  const options = useMemo<ViewOptions>(
    () => ({ text: deferredText, state, sort, collapsed, session }),
    [deferredText, state, sort, collapsed, session],
  );

  const table = useRef<TableHandle>(null);
  const detail = useRef<DetailHandle>(null);
  const filter = useRef<HTMLInputElement>(null);
  useSlashToFilter(filter);

  const onSort = useCallback((column: SortColumn) => setSort((s) => nextSort(s, column)), []);
  const onToggle = useCallback(
    (id: string) =>
      setCollapsed((c) => {
        const next = new Set(c);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const onOpen = useCallback(
    (id: string) => {
      store.select(id);
      detail.current?.focus();
    },
    [store],
  );
  const onCreated = useCallback((row: ListenerRow | ConnectionRow) => store.select(row.id), [store]);
  const [view, setView] = useState<AppView>('connections');
  const host = useHostOptions();
  const split = useSplit();
  const onOwner = useCallback(
    (id: string) => {
      store.select(id);
      setView('connections');
    },
    [store],
  );
  const onShowSession = useCallback((id: string) => {
    setSession(id);
    setView('connections');
  }, []);

  return (
    <div className="app">
      <Header store={store}>
        <ViewTabs view={view} onView={setView} />
      </Header>
      <Toolbar onCreated={onCreated} store={store}>
        {view === 'host' ? (
          <HostFilterBar host={host} inputRef={filter} />
        ) : view === 'lab' ? null : (
          <FilterBar
            text={text}
            onText={setText}
            state={state}
            onState={setState}
            sessions={sessions}
            session={session}
            onSession={setSession}
            onClearClosed={() => store.clearClosed()}
            onLeave={() => table.current?.focusSelected()}
            inputRef={filter}
          />
        )}
      </Toolbar>
      {view === 'host' ? (
        <main className="workspace host-workspace" {...viewPanelProps(view)}>
          <HostView host={host} onOwner={onOwner} />
        </main>
      ) : view === 'lab' ? (
        <main className="workspace lab-workspace" {...viewPanelProps(view)}>
          <LabView store={store} onShowSession={onShowSession} />
        </main>
      ) : (
        <main
          className="workspace split-workspace"
          style={{ '--split': `${split.pct}%` } as CSSProperties}
          {...viewPanelProps(view)}
        >
          <ConnectionTable
            store={store}
            options={options}
            onSort={onSort}
            onToggle={onToggle}
            onOpen={onOpen}
            handle={table}
          />
          <SplitDivider axis={split.axis} pct={split.pct} onChange={split.set} controls="detail-section" />
          <DetailSection store={store} id={selected} onBack={() => table.current?.focusSelected()} handle={detail} />
        </main>
      )}
    </div>
  );
}

/** `/` anywhere outside a text field focuses the filter. */
function useSlashToFilter(filter: RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      filter.current?.focus();
      filter.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [filter]);
}
