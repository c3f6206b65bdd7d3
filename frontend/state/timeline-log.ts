// One row's story as timeline entries: events in seq order, deduplicated, bounded; bursts of reads folded into one entry.
import {
  assertNever,
  endpointText,
  type Direction,
  type Endpoint,
  type Fault,
  type InspectorEvent,
  type TcpState,
} from '../../shared';
import { configNote } from './config-text';

/** Data events of one direction closer together than this are folded into one entry. */
export const DATA_BURST_US = 100_000;

interface Base {
  readonly seq: number;
  readonly at: number;
}
export type TimelineEntry = Base &
  (
    | { readonly kind: 'opened'; readonly text: string }
    | {
        readonly kind: 'state';
        readonly from: string;
        readonly to: string;
        readonly cause: string | null;
        readonly local: Endpoint | null;
        readonly remote: Endpoint | null;
      }
    | { readonly kind: 'attempt'; readonly attempt: number; readonly attempts: number; readonly target: string }
    | {
        readonly kind: 'fault';
        readonly fault: Fault;
        readonly attempt: number;
        readonly attempts: number;
        readonly retryInMs: number | null;
        /** First fault with this code in the timeline (later ones need not repeat the explanation). */
        readonly firstOfCode: boolean;
      }
    | {
        readonly kind: 'data';
        readonly direction: Direction;
        readonly count: number;
        readonly bytes: number;
        readonly lastAt: number;
        readonly firstIndex: number;
        readonly lastIndex: number;
      }
    | { readonly kind: 'note'; readonly text: string }
    | {
        readonly kind: 'kernel';
        readonly tcpState: TcpState | null;
        readonly recvQ: number | null;
        readonly sendQ: number | null;
      }
  );

export class TimelineLog {
  private items: TimelineEntry[] = [];
  private head = 0;
  lastSeq = 0;
  /** Oldest entries dropped to stay within the bound. */
  dropped = 0;
  private attempts = 0;
  private tcpState: TcpState | null | undefined = undefined;
  private codes = new Set<string>();

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  at(pos: number): TimelineEntry | undefined {
    return pos < 0 ? undefined : this.items[this.head + pos];
  }

  first(): TimelineEntry | undefined {
    return this.items[this.head];
  }

  /**
   * Applies one event; events at or below the last seq seen are duplicates. Returns whether the timeline changed
   * (false for duplicates and for events it does not show, like queue sizes).
   */
  add(e: InspectorEvent): boolean {
    if (e.seq <= this.lastSeq) return false;
    this.lastSeq = e.seq;
    const last = this.items.length > this.head ? this.items.at(-1) : undefined;
    if (
      e.type === 'socket/data' &&
      last?.kind === 'data' &&
      last.direction === e.direction &&
      e.at - last.lastAt < DATA_BURST_US
    ) {
      this.items[this.items.length - 1] = {
        ...last,
        count: last.count + 1,
        bytes: last.bytes + e.length,
        lastAt: e.at,
        lastIndex: e.index,
      };
      return true;
    }
    const entry = this.toEntry(e);
    if (entry) this.push(entry);
    return entry !== null;
  }

  private push(entry: TimelineEntry): void {
    this.items.push(entry);
    while (this.size > this.maxEntries) {
      this.items[this.head++] = undefined as unknown as TimelineEntry;
      this.dropped++;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private firstOfCode(code: string): boolean {
    if (this.codes.has(code)) return false;
    this.codes.add(code);
    return true;
  }

  private toEntry(e: InspectorEvent): TimelineEntry | null {
    const base = { seq: e.seq, at: e.at };
    switch (e.type) {
      case 'socket/opened': {
        const c = e.connection;
        const text =
          c.kind === 'client'
            ? `client socket, dialing ${endpointText(c.target)}`
            : `accepted by ${c.parent ?? '?'} from ${endpointText(c.remote)}`;
        return { ...base, kind: 'opened', text };
      }
      case 'listener/opened': {
        const l = e.listener;
        return {
          ...base,
          kind: 'opened',
          text: `listening on ${endpointText(l.local)} (backlog ${l.backlog}, accept ${l.accept})`,
        };
      }
      case 'socket/state':
        return {
          ...base,
          kind: 'state',
          from: e.from,
          to: e.to,
          cause: e.cause,
          local: e.local ?? null,
          remote: e.remote ?? null,
        };
      case 'listener/state':
        return { ...base, kind: 'state', from: e.from, to: e.to, cause: null, local: null, remote: null };
      case 'socket/attempt':
        this.attempts = e.attempts;
        return { ...base, kind: 'attempt', attempt: e.attempt, attempts: e.attempts, target: `${e.host}:${e.port}` };
      case 'socket/fault':
        return {
          ...base,
          kind: 'fault',
          fault: e.fault,
          attempt: e.attempt,
          attempts: this.attempts,
          retryInMs: e.retryInMs,
          firstOfCode: this.firstOfCode(e.fault.code),
        };
      case 'listener/fault':
        return {
          ...base,
          kind: 'fault',
          fault: e.fault,
          attempt: 0,
          attempts: 0,
          retryInMs: null,
          firstOfCode: this.firstOfCode(e.fault.code),
        };
      case 'socket/data':
        return {
          ...base,
          kind: 'data',
          direction: e.direction,
          count: 1,
          bytes: e.length,
          lastAt: e.at,
          firstIndex: e.index,
          lastIndex: e.index,
        };
      case 'socket/flow':
        return { ...base, kind: 'note', text: e.paused ? 'reading paused' : 'reading resumed' };
      case 'socket/config':
      case 'listener/config':
        return { ...base, kind: 'note', text: configNote(e) };
      case 'socket/kernel':
      case 'listener/kernel':
        // Only the kernel state's changes tell a story; queue sizes live in the header.
        if (e.tcpState === this.tcpState) return null;
        this.tcpState = e.tcpState;
        return { ...base, kind: 'kernel', tcpState: e.tcpState, recvQ: e.recvQ, sendQ: e.sendQ };
      case 'socket/queue':
      case 'socket/closed':
      case 'listener/closed':
      case 'scenario/run':
      case 'scenario/step':
        return null; // counters, already told by the state transition
      default:
        return assertNever(e);
    }
  }
}
