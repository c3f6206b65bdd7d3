// How a feature (framing, responders, a relay...) plugs into one connection or listener: the core calls these taps
// instead of knowing the feature. A socket holds at most one plug per slot; the slot is the feature's own key.
import type { ConnectionRow, Direction, ListenerRow } from '../../shared';

export interface SocketPlug {
  /** Keeps read bytes past the capture (a reply may wait in Node's queue): reads are then copied, never recycled. */
  readonly keepsReads?: boolean;
  /** A chunk just captured, before its socket/data event. `recycled`: its bytes are valid only while the capture holds them. */
  chunk?(direction: Direction, bytes: Buffer, index: number, recycled: boolean): void;
  /** A read, after its socket/data event (and after every plug's chunk()), before the echo. */
  read?(bytes: Buffer): void;
  /** The row just became closed or failed (before socket/closed): stop timers, give budgets back. */
  ended?(): void;
  /** The closed row is being forgotten (maxClosedRows), its capture with it: let go of what it keeps. */
  forgotten?(): void;
  /** Writes this feature's fields into a row being handed out (snapshots, socket/closed, socket/config). */
  describe?(row: ConnectionRow): void;
}

export interface ListenerPlug<Socket> {
  /** A connection this listener just accepted, before its socket/opened: give it this feature's settings. */
  adopted?(socket: Socket): void;
  /** Writes this feature's fields into the listener's row (snapshots, listener/config). */
  describe?(row: ListenerRow): void;
}

/** A feature's key: the type of what it plugs in travels with it. */
export class PlugSlot<T> {
  /** Never set: ties the slot to what it holds. */
  declare readonly plug?: T;
  constructor(readonly name: string) {}
}

/** The plugs of one socket or listener, in the order their slots were first filled; `list` is read on the hot path. */
export class Plugs<P> {
  private readonly bySlot = new Map<PlugSlot<P>, P>();
  /** Rebuilt on each change (rare), so a read walks a plain array and allocates nothing. */
  list: readonly P[] = [];

  get<T extends P>(slot: PlugSlot<T>): T | null {
    return (this.bySlot.get(slot) as T | undefined) ?? null;
  }

  /** Fills (or with null empties) a slot; whatever was there is dropped, the caller ends it first. */
  set<T extends P>(slot: PlugSlot<T>, plug: T | null): void {
    if (plug === null) this.bySlot.delete(slot);
    else this.bySlot.set(slot, plug);
    this.list = [...this.bySlot.values()];
  }
}
