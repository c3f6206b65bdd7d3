// The selected row's history and live tail: REST pages merged with stream events (dedupe by seq and chunk index),
// bounded; payloads the stream left out are fetched from REST instead of shown as holes.
import {
  isConnectionId,
  type ChunksQuery,
  type ChunksReply,
  type EventsPage,
  type EventsQuery,
  type InspectorEvent,
  type SnapshotFrame,
} from '../../shared';
import { CaptureLog, placeholder, toCaptured } from './capture-log';
import { TimelineLog } from './timeline-log';

export interface DetailSource {
  getEvents(q: EventsQuery): Promise<EventsPage>;
  getChunks(id: string, q: ChunksQuery): Promise<ChunksReply>;
}

export interface DetailLimits {
  timelineEntries: number;
  captureBytes: number;
  captureChunks: number;
  pageSize: number;
}

export const DETAIL_LIMITS: DetailLimits = {
  timelineEntries: 5000,
  captureBytes: 4 << 20,
  captureChunks: 50_000,
  pageSize: 1000,
};

export type DetailPhase = 'loading' | 'ready' | 'failed';

const message = (e: unknown): string => {
  const code = (e as { code?: unknown }).code;
  const text = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' ? `${code}: ${text}` : text;
};

export class DetailModel {
  /** Replaced (not cleared) when a failed load is retried from scratch. */
  timeline: TimelineLog;
  capture: CaptureLog;
  readonly isConnection: boolean;
  phase: DetailPhase = 'loading';
  /** Why loading (or fetching left-out payloads) failed; shown inline. */
  error: string | null = null;
  /** Chunks the server's own bounded capture had evicted before we could read them. */
  serverDropped = { chunks: 0, bytes: 0 };
  /** The server's event log no longer had some of this row's events. */
  historyGap = false;
  /** Bumped on every visible change; React reads it through subscribe. */
  version = 0;
  private buffer: InspectorEvent[] | null = [];
  private syncing = false;
  /** A lagged snapshot arrived while syncing: sync once more before applying what waited. */
  private again = false;
  private filling = false;
  private refill = false;
  private disposed = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly id: string,
    private readonly source: DetailSource,
    private readonly limits: DetailLimits = DETAIL_LIMITS,
  ) {
    this.timeline = new TimelineLog(limits.timelineEntries);
    this.capture = new CaptureLog(limits.captureBytes, limits.captureChunks);
    this.isConnection = isConnectionId(id);
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  /** Feed of store.onEvents: every batch, for every id. A lagged snapshot means events were lost: catch up by REST. */
  receive = (events: readonly InspectorEvent[], snapshot: SnapshotFrame | null): void => {
    if (this.disposed) return;
    if (snapshot?.lagged) {
      // Events were lost between the last batch and this snapshot: hold live events and catch up by REST.
      if (this.buffer === null) {
        this.buffer = [];
        void this.sync();
      } else this.again = true;
    }
    let changed = false;
    for (const e of events) {
      if (e.id !== this.id) continue;
      if (this.buffer) this.buffer.push(e);
      else changed = this.applyLive(e) || changed;
    }
    if (changed) this.notify();
  };

  /** Loads the history; live events meanwhile wait in the buffer. */
  start(): Promise<void> {
    return this.sync();
  }

  retry(): Promise<void> {
    if (this.phase === 'failed') {
      // Live events were applied after the failure, so history cannot be merged under them: start over.
      this.timeline = new TimelineLog(this.limits.timelineEntries);
      this.capture = new CaptureLog(this.limits.captureBytes, this.limits.captureChunks);
      this.buffer ??= [];
      this.phase = 'loading';
      this.error = null;
      this.notify();
      return this.sync();
    }
    return this.fill();
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  private async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    do {
      this.again = false;
      await this.syncOnce();
    } while (this.again && !this.disposed && this.phase === 'ready');
    this.syncing = false;
    if (this.disposed) return;
    // Whatever happened, live events go on: apply what waited, then stop buffering.
    const waiting = this.buffer ?? [];
    this.buffer = null;
    for (const e of waiting) this.applyLive(e);
    this.notify();
  }

  private async syncOnce(): Promise<void> {
    const initial = this.timeline.lastSeq === 0;
    try {
      const lagged = await this.loadEvents();
      if (initial) {
        const first = this.timeline.first();
        this.historyGap = this.timeline.dropped === 0 && first?.kind !== 'opened';
      } else if (lagged) this.historyGap = true;
      if (this.isConnection) await this.loadChunks();
      this.phase = 'ready';
    } catch (e) {
      this.phase = 'failed';
      this.error = message(e);
    }
  }

  private async loadEvents(): Promise<boolean> {
    let since = this.timeline.lastSeq;
    let lagged = false;
    for (;;) {
      const page = await this.source.getEvents({ id: this.id, since, limit: this.limits.pageSize });
      if (this.disposed) return lagged;
      lagged ||= page.lagged;
      for (const e of page.events) this.timeline.add(e);
      since = page.events.at(-1)?.seq ?? since;
      if (!page.more || page.events.length === 0) return lagged;
    }
  }

  private async loadChunks(): Promise<void> {
    let since = this.capture.lastIndex;
    for (;;) {
      const reply = await this.source.getChunks(this.id, { since, limit: this.limits.pageSize });
      if (this.disposed) return;
      this.serverDropped = { chunks: reply.droppedChunks, bytes: reply.droppedBytes };
      for (const c of reply.chunks) this.capture.put(toCaptured(c));
      since = reply.chunks.at(-1)?.index ?? since;
      if (!reply.more || reply.chunks.length === 0) return;
    }
  }

  private applyLive(e: InspectorEvent): boolean {
    const isNew = this.timeline.add(e);
    if (e.type !== 'socket/data') return isNew;
    if (!e.truncated) return this.capture.put(toCaptured(e)) || isNew;
    const added = this.capture.put(placeholder(e));
    if (added) void this.fill();
    return added || isNew;
  }

  /** Fetches the payloads the stream left out, from the oldest pending chunk on; one fetch at a time. */
  private async fill(): Promise<void> {
    if (this.filling) {
      this.refill = true;
      return;
    }
    this.filling = true;
    try {
      do {
        this.refill = false;
        await this.fillOnce();
      } while (this.refill && !this.disposed);
      this.error = null;
    } catch (e) {
      this.error = `could not fetch left-out bytes: ${message(e)}`;
    } finally {
      this.filling = false;
    }
    if (!this.disposed) this.notify();
  }

  private async fillOnce(): Promise<void> {
    const first = this.capture.firstPending();
    if (first === null) return;
    let since = first - 1;
    for (;;) {
      const reply = await this.source.getChunks(this.id, { since, limit: this.limits.pageSize });
      if (this.disposed) return;
      this.serverDropped = { chunks: reply.droppedChunks, bytes: reply.droppedBytes };
      for (const c of reply.chunks) this.capture.put(toCaptured(c));
      const through = reply.chunks.at(-1)?.index ?? reply.lastIndex;
      if (!reply.more) {
        this.capture.markLost(reply.lastIndex);
        return;
      }
      // Chunks come in index order: a pending one passed over was evicted on the server.
      this.capture.markLost(through);
      if (this.capture.firstPending() === null) return;
      since = through;
      this.notify();
    }
  }

  private notify(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }
}
