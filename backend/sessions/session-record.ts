// One session's bookkeeping, folded from the events of its sockets: members, byte counts, faults, and its report.
import type { CleanupMode, Fault, Session, SessionReport } from '../../shared';
import { nowMicros } from '../inspector/clock';

export type MemberKind = 'listener' | 'client' | 'accepted';

export interface Member {
  id: string;
  kind: MemberKind;
  state: string;
  bytesIn: number;
  bytesOut: number;
  fault: string | null;
}

type SessionFault = SessionReport['faults'][number];

/** The final report, and the connections a graceful close released without the peer's FIN (see closeGracefully). */
export type ClosedSession = SessionReport & { released: string[] };

/** Sockets listed per session; past it the oldest closed ones are dropped from the lists (their counts stay). */
export const MAX_SESSION_MEMBERS = 10_000;
/** Faults listed per session; the oldest are dropped first. */
export const MAX_SESSION_FAULTS = 1000;

export const isDone = (state: string): boolean => state === 'closed' || state === 'failed';

export class SessionRecord {
  closedAt: number | null = null;
  /** Set while DELETE or a run's cleanup is ending its sockets: nothing may join any more. */
  closing: Promise<ClosedSession> | null = null;
  /** How that close ends connections, one that joins meanwhile included. */
  cleanup: CleanupMode = 'reset';
  readonly members = new Map<string, Member>();
  private readonly faults: SessionFault[] = [];
  /** Counts of members dropped from the lists. */
  private readonly dropped = { listeners: 0, client: 0, accepted: 0, failed: 0, bytesIn: 0, bytesOut: 0 };
  readonly createdAt = nowMicros();

  constructor(
    readonly id: string,
    readonly name: string,
  ) {}

  get open(): boolean {
    return this.closedAt === null && this.closing === null;
  }

  /** Adds a member; returns the ids dropped from the list to stay within MAX_SESSION_MEMBERS. */
  add(m: Member): string[] {
    this.members.set(m.id, m);
    const dropped: string[] = [];
    for (const old of this.members.values()) {
      if (this.members.size <= MAX_SESSION_MEMBERS) break;
      if (!isDone(old.state)) continue;
      this.members.delete(old.id);
      this.forget(old);
      dropped.push(old.id);
    }
    return dropped;
  }

  addFault(id: string, f: Fault): void {
    this.faults.push({ id, code: f.code, errno: f.errno, syscall: f.syscall, state: f.state, at: f.at });
    if (this.faults.length > MAX_SESSION_FAULTS) this.faults.shift();
  }

  session(): Session {
    const listeners: string[] = [];
    const connections: string[] = [];
    for (const m of this.members.values()) (m.kind === 'listener' ? listeners : connections).push(m.id);
    return { id: this.id, name: this.name, createdAt: this.createdAt, closedAt: this.closedAt, listeners, connections };
  }

  report(): SessionReport {
    const d = this.dropped;
    const c = { total: d.client + d.accepted, client: d.client, accepted: d.accepted, open: 0, failed: d.failed };
    let listeners = d.listeners;
    let bytesIn = d.bytesIn;
    let bytesOut = d.bytesOut;
    for (const m of this.members.values()) {
      if (m.kind === 'listener') {
        listeners++;
        continue;
      }
      c.total++;
      c[m.kind]++;
      if (!isDone(m.state)) c.open++;
      if (m.state === 'failed') c.failed++;
      bytesIn += m.bytesIn;
      bytesOut += m.bytesOut;
    }
    const end = this.closedAt ?? nowMicros();
    return {
      id: this.id,
      name: this.name,
      createdAt: this.createdAt,
      closedAt: this.closedAt,
      durationMs: Math.max(0, (end - this.createdAt) / 1000),
      listeners,
      connections: c,
      bytesIn,
      bytesOut,
      faults: [...this.faults],
      sockets: [...this.members.values()].map((m) => ({ ...m })),
    };
  }

  private forget(m: Member): void {
    const d = this.dropped;
    if (m.kind === 'listener') d.listeners++;
    else d[m.kind]++;
    if (m.state === 'failed') d.failed++;
    d.bytesIn += m.bytesIn;
    d.bytesOut += m.bytesOut;
  }
}
