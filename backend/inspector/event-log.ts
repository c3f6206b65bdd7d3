// Stamps seq on every event, keeps a bounded replay log, and delivers events to subscribers in order.
// Memory: a logged data event costs about 250 bytes besides its payload (its record, and the Buffer of a small chunk,
// which the log keeps once the capture let go of it; measured by test/backend/inspector/chunk-cost.ts), so the log
// holds at most about `capacity` x 256 bytes plus `payloadBudget`, however small the reads.
import {
  DEFAULT_PAGE_LIMIT,
  type EventsPage,
  type EventsQuery,
  type InspectorEvent,
  type UnsequencedEvent,
} from '../../shared';
import { ownsPayload, withoutPayload } from './data-event';

export interface LogSubscription {
  lastSeq: number;
  replay: InspectorEvent[];
  lagged: boolean;
  missed: number;
  unsubscribe(): void;
}

interface Subscriber {
  fn: (e: InspectorEvent) => void;
  /** Events at or below this seq were already in the subscriber's snapshot. */
  after: number;
  failed: boolean;
}

export class EventLog {
  lastSeq = 0;
  private ring: (InspectorEvent | undefined)[];
  private count = 0;
  private evictedThrough = 0;
  private payloadBytes = 0;
  private payloadSeqs: number[] = [];
  private subscribers = new Set<Subscriber>();
  private pending: InspectorEvent[] = [];
  private dispatching = false;

  constructor(
    private readonly capacity: number,
    private readonly payloadBudget: number,
    private readonly onSubscriberError: (err: unknown) => void = () => {},
  ) {
    this.ring = new Array<InspectorEvent | undefined>(capacity);
  }

  get oldestSeq(): number {
    return this.count === 0 ? 0 : this.evictedThrough + 1;
  }

  append(e: UnsequencedEvent): InspectorEvent {
    // Stamped in place, not spread: a data event's payload is an accessor that must stay unencoded (data-event.ts).
    const event = Object.assign(e, { seq: ++this.lastSeq }) as InspectorEvent;
    this.store(event);
    this.pending.push(event);
    // An action taken inside a subscriber emits more events: queue them so everyone sees seq order.
    if (!this.dispatching) this.drain();
    return event;
  }

  page(query: EventsQuery): EventsPage {
    const since = query.since ?? 0;
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const events: InspectorEvent[] = [];
    let more = false;
    for (let seq = Math.max(since + 1, this.oldestSeq); seq <= this.lastSeq && this.count > 0; seq++) {
      const e = this.get(seq)!;
      if (query.id !== undefined && e.id !== query.id) continue;
      if (events.length === limit) {
        more = true;
        break;
      }
      events.push(e);
    }
    return { events, oldestSeq: this.oldestSeq, lastSeq: this.lastSeq, lagged: since < this.evictedThrough, more };
  }

  subscribe(fn: (e: InspectorEvent) => void, since?: number): LogSubscription {
    const sub: Subscriber = { fn, after: this.lastSeq, failed: false };
    this.subscribers.add(sub);
    const replay: InspectorEvent[] = [];
    if (since !== undefined) {
      for (let seq = Math.max(since + 1, this.oldestSeq); seq <= this.lastSeq && this.count > 0; seq++)
        replay.push(this.get(seq)!);
    }
    const lagged = since !== undefined && since < this.evictedThrough;
    return {
      lastSeq: this.lastSeq,
      replay,
      lagged,
      missed: lagged ? this.evictedThrough - since : 0,
      unsubscribe: () => this.subscribers.delete(sub),
    };
  }

  clearSubscribers(): void {
    this.subscribers.clear();
  }

  private get(seq: number): InspectorEvent | undefined {
    return this.ring[(seq - 1) % this.capacity];
  }

  private store(event: InspectorEvent): void {
    if (this.count === this.capacity) {
      const old = this.get(this.evictedThrough + 1)!;
      this.evictedThrough++;
      this.count--;
      if (old.type === 'socket/data' && ownsPayload(old)) this.payloadBytes -= old.length;
    }
    this.ring[(event.seq - 1) % this.capacity] = event;
    this.count++;
    if (event.type === 'socket/data' && ownsPayload(event)) {
      this.payloadBytes += event.length;
      this.payloadSeqs.push(event.seq);
      this.trimPayloads();
    }
  }

  // Over budget: the oldest logged data events keep their length but lose their bytes.
  private trimPayloads(): void {
    let i = 0;
    while (this.payloadBytes > this.payloadBudget && i < this.payloadSeqs.length) {
      const seq = this.payloadSeqs[i++]!;
      if (seq <= this.evictedThrough) continue;
      const e = this.get(seq);
      if (e?.type !== 'socket/data' || !ownsPayload(e)) continue;
      this.ring[(seq - 1) % this.capacity] = withoutPayload(e);
      this.payloadBytes -= e.length;
    }
    if (i > 0) this.payloadSeqs.splice(0, i);
    if (this.payloadSeqs.length > 2 * this.capacity) {
      this.payloadSeqs = this.payloadSeqs.filter((s) => s > this.evictedThrough);
    }
  }

  private drain(): void {
    this.dispatching = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        const event = this.pending[i]!;
        // The Set itself, not a copy per event: one removed meanwhile is not visited, and one added meanwhile has
        // `after` at or past this seq.
        for (const sub of this.subscribers) {
          if (event.seq > sub.after) this.deliver(sub, event);
        }
      }
    } finally {
      this.pending = [];
      this.dispatching = false;
    }
  }

  private deliver(sub: Subscriber, event: InspectorEvent): void {
    try {
      sub.fn(event);
    } catch (err) {
      // A broken subscriber must not break the inspector or the others; report it once.
      if (!sub.failed) this.onSubscriberError(err);
      sub.failed = true;
    }
  }
}
