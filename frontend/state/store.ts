// The page's one store: folded table + link status. Frames are queued and applied at most once per animation frame.
import { useCallback, useSyncExternalStore } from 'react';
import type { InspectorEvent, SnapshotFrame, StreamFrame } from '../../shared';
import { emptyTable, foldEvents, fromSnapshot, withoutTerminal, type TableState } from './fold';

/** live: snapshot received; lagged: the server evicted events we had not seen (rows are right, some bytes are not). */
export type LinkStatus = 'connecting' | 'live' | 'lagged' | 'reconnecting' | 'degraded';

export interface UiState {
  readonly table: TableState;
  readonly link: LinkStatus;
  /** Events the server evicted before we could see them, over all reconnects. */
  readonly missed: number;
  readonly selected: string | null;
}

type Schedule = (flush: () => void) => void;
const nextFrame: Schedule =
  typeof requestAnimationFrame === 'function' ? (f) => requestAnimationFrame(() => f()) : (f) => setTimeout(f, 16);

export class Store {
  private state: UiState = { table: emptyTable(), link: 'connecting', missed: 0, selected: null };
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(events: readonly InspectorEvent[], snapshot: SnapshotFrame | null) => void>();
  private queue: StreamFrame[] = [];
  private scheduled = false;

  constructor(private readonly schedule: Schedule = nextFrame) {}

  getState = (): UiState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Raw events after each batch (and a snapshot's replay), for panes that keep more than rows: timelines, bytes. */
  onEvents(fn: (events: readonly InspectorEvent[], snapshot: SnapshotFrame | null) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  receive(frame: StreamFrame): void {
    this.queue.push(frame);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  setLink(link: LinkStatus): void {
    if (link === 'live' && this.state.link === 'lagged') return; // lagged stays visible until the next reconnect
    this.set({ ...this.state, link });
  }

  select(id: string | null): void {
    if (id !== this.state.selected) this.set({ ...this.state, selected: id });
  }

  /** Forget closed and failed rows (local only: the server keeps them for other tabs and scripts). */
  clearClosed(): void {
    this.set({ ...this.state, table: withoutTerminal(this.state.table) });
  }

  /** Applies everything queued now; tests call it instead of waiting for a frame. */
  flush(): void {
    this.scheduled = false;
    const frames = this.queue;
    this.queue = [];
    let { table, missed, link } = this.state;
    let batch: InspectorEvent[] = [];
    const emit = (snapshot: SnapshotFrame | null) => {
      for (const fn of this.eventListeners) fn(batch, snapshot);
      batch = [];
    };
    for (const frame of frames) {
      if (frame.type === 'snapshot') {
        table = foldEvents(table, batch);
        emit(null);
        table = fromSnapshot(frame);
        missed += frame.missed;
        link = frame.lagged ? 'lagged' : 'live';
        batch = [...frame.replay];
        emit(frame);
      } else {
        batch.push(frame);
      }
    }
    table = foldEvents(table, batch);
    if (batch.length) emit(null);
    if (table !== this.state.table || missed !== this.state.missed || link !== this.state.link)
      this.set({ ...this.state, table, missed, link });
  }

  private set(next: UiState): void {
    this.state = next;
    for (const fn of this.listeners) fn();
  }
}

/** Subscribe a component to one slice; it re-renders only when that slice changes identity. */
export function useUi<T>(store: Store, select: (s: UiState) => T): T {
  const get = useCallback(() => select(store.getState()), [store, select]);
  return useSyncExternalStore(store.subscribe, get, get);
}
