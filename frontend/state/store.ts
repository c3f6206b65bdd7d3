// The page's one store: folded table + link status. Frames are queued and applied at most once per animation frame.
import { useCallback, useSyncExternalStore } from 'react';
import type { InspectorEvent, SnapshotFrame, StreamFrame } from '../../shared';
import type { LinkStatus as StreamStatus } from '../api/event-stream';
import { emptyTable, foldEvents, fromSnapshot, terminalIds, withoutIds, type TableState } from './fold';

/** The stream's status, or lagged: the server evicted events we had not seen (rows are right, some bytes are not). */
export type LinkStatus = StreamStatus | 'lagged';

export interface UiState {
  readonly table: TableState;
  readonly link: LinkStatus;
  /** Why the server refused the stream (its close reason, `too many stream clients (max 32)`) while refused. */
  readonly linkWhy: string | null;
  /** Events the server evicted before we could see them, over all reconnects. */
  readonly missed: number;
  readonly selected: string | null;
}

type Schedule = (flush: () => void) => void;
const MAX_QUEUE = 4096;
// A hidden tab gets no animation frames: the timer bounds the queue there (browsers run it about once a second).
const nextFrame: Schedule = (f) => {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    f();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, 250);
};

export class Store {
  private state: UiState = { table: emptyTable(), link: 'connecting', linkWhy: null, missed: 0, selected: null };
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<
    (events: readonly InspectorEvent[], snapshot: SnapshotFrame | null) => void
  >();
  private queue: StreamFrame[] = [];
  private scheduled = false;
  /** Rows the user cleared: a reconnect's snapshot still has them (the server keeps them), this tab does not. */
  private cleared = new Set<string>();
  /** Highest seq handed to `onEvents` listeners. */
  private emitted = 0;

  constructor(private readonly schedule: Schedule = nextFrame) {}

  getState = (): UiState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /**
   * Events after each batch (and a snapshot's replay), for panes that keep more than rows: timelines, bytes.
   * Each event once, in seq order: duplicates and replayed events already delivered are left out.
   */
  onEvents(fn: (events: readonly InspectorEvent[], snapshot: SnapshotFrame | null) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  receive(frame: StreamFrame): void {
    this.queue.push(frame);
    if (this.queue.length >= MAX_QUEUE) return this.flush(); // no frame for a while (hidden tab): bound the queue
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  setLink(link: LinkStatus, why: string | null = null): void {
    if (link === this.state.link && why === this.state.linkWhy) return;
    if (link === 'live' && this.state.link === 'lagged') return; // lagged stays visible until the next reconnect
    this.set({ ...this.state, link, linkWhy: why });
  }

  select(id: string | null): void {
    if (id !== this.state.selected) this.set({ ...this.state, selected: id });
  }

  /** Forget closed and failed rows (local only: the server keeps them for other tabs and scripts). */
  clearClosed(): void {
    for (const id of terminalIds(this.state.table)) this.cleared.add(id);
    const selected = this.state.selected !== null && this.cleared.has(this.state.selected) ? null : this.state.selected;
    this.set({ ...this.state, table: withoutIds(this.state.table, this.cleared), selected });
  }

  /** Applies everything queued now; tests call it instead of waiting for a frame. */
  flush(): void {
    this.scheduled = false;
    const frames = this.queue;
    this.queue = [];
    let { table, missed, link } = this.state;
    let batch: InspectorEvent[] = [];
    const emit = (snapshot: SnapshotFrame | null) => {
      if (batch.length || snapshot) for (const fn of this.eventListeners) fn(batch, snapshot);
      batch = [];
    };
    for (const frame of frames) {
      if (frame.type !== 'snapshot') {
        if (frame.seq <= this.emitted) continue; // a duplicate: panes see each event once
        this.emitted = frame.seq;
        batch.push(frame);
        continue;
      }
      table = foldEvents(table, batch);
      emit(null);
      table = this.fromSnapshot(frame);
      missed += frame.missed;
      // degraded: a frame of this very connection was dropped (the snapshot is always its first frame).
      if (link !== 'degraded') link = frame.lagged ? 'lagged' : 'live';
      if (frame.seq < this.emitted) this.emitted = 0; // a restarted server counts from 0 again
      batch = frame.replay.filter((e) => e.seq > this.emitted);
      this.emitted = batch.at(-1)?.seq ?? this.emitted;
      emit(frame);
    }
    table = foldEvents(table, batch);
    emit(null);
    if (table !== this.state.table || missed !== this.state.missed || link !== this.state.link)
      this.set({ ...this.state, table, missed, link, linkWhy: link === 'refused' ? this.state.linkWhy : null });
  }

  private fromSnapshot(frame: SnapshotFrame): TableState {
    const table = fromSnapshot(frame);
    // Ids the server has forgotten will not come back: stop remembering them.
    for (const id of this.cleared) if (!table.connections.has(id) && !table.listeners.has(id)) this.cleared.delete(id);
    return withoutIds(table, this.cleared);
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
