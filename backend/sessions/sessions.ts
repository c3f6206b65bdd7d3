// Sessions: named groups of the sockets one script or run opened, to report on them and to end them all at once.
import type { CleanupMode, CreateSessionBody, InspectorEvent, Session, SessionList, SessionReport } from '../../shared';
import { nowMicros } from '../inspector/clock';
import { limitReached, requestError, type ErrorExtra } from '../inspector/errors';
import { SessionRecord, isDone, type ClosedSession } from './session-record';

export interface SessionHost {
  /** Every event from now on, for as long as the inspector lives. */
  subscribe(fn: (e: InspectorEvent) => void): void;
  /** RST (when the socket can still send one) and resolve once the row is terminal. */
  abortConnection(id: string): Promise<void>;
  /** FIN, then the peer's (bounded); resolves once terminal: true if it had to be released without the peer's FIN. */
  finishConnection(id: string): Promise<boolean>;
  /** Stop listening; resolve once the server has closed. */
  closeListener(id: string): Promise<void>;
}

/** Sessions kept, open and closed; creating one more forgets the oldest closed session. */
export const MAX_SESSIONS = 256;
/** A close waits at most this long for its sockets (a destroyed socket always closes: a guard only). */
const CLOSE_CAP_MS = 5000;

const byNumber = (a: string, b: string): number => Number(a.slice(2)) - Number(b.slice(2));

const sessionNotFound = (id: string, extra: ErrorExtra = {}) =>
  requestError('SESSION_NOT_FOUND', `no session ${JSON.stringify(id)}`, extra);
const sessionClosed = (id: string) =>
  requestError('INVALID_STATE', `session ${id} is closed: nothing more can join it`, { field: 'session' });

export class SessionRegistry {
  private readonly sessions = new Map<string, SessionRecord>();
  /** Socket id -> its session, for the sockets still listed. */
  private readonly owners = new Map<string, SessionRecord>();
  private next = 1;

  constructor(private readonly host: SessionHost) {
    host.subscribe((e) => this.onEvent(e));
  }

  create(body: CreateSessionBody): Session {
    if (this.sessions.size >= MAX_SESSIONS) this.forgetOldestClosed();
    const s = new SessionRecord(`s-${this.next++}`, body.name);
    this.sessions.set(s.id, s);
    return s.session();
  }

  list(): SessionList {
    return { sessions: [...this.sessions.values()].map((s) => s.session()) };
  }

  get(id: string): Session {
    return this.record(id).session();
  }

  report(id: string): SessionReport {
    return this.record(id).report();
  }

  /** The session a new socket may join: undefined -> null; throws 404 unknown, 409 closed. Nothing is opened yet. */
  admit(id: string | undefined): string | null {
    if (id === undefined) return null;
    const s = this.sessions.get(id);
    if (!s) throw sessionNotFound(id, { field: 'session' });
    if (!s.open) throw sessionClosed(id);
    return s.id;
  }

  /**
   * Closes its listeners and ends its connections (`reset`: RST; `close`: FIN and the peer's, see
   * finishConnection), waits for all of them; the final report. Idempotent: a close under way keeps its mode.
   */
  async close(id: string, cleanup: CleanupMode = 'reset'): Promise<ClosedSession> {
    const s = this.record(id);
    if (s.closedAt !== null) return { ...s.report(), released: [] };
    if (!s.closing) {
      s.cleanup = cleanup;
      s.closing = this.closeAll(s);
    }
    return s.closing;
  }

  private async closeAll(s: SessionRecord): Promise<ClosedSession> {
    const released: string[] = [];
    const waits: Promise<void>[] = [];
    for (const m of s.members.values()) {
      if (isDone(m.state)) continue;
      if (m.kind === 'listener') waits.push(this.host.closeListener(m.id));
      else if (s.cleanup === 'reset') waits.push(this.host.abortConnection(m.id));
      else waits.push(this.host.finishConnection(m.id).then((forced) => void (forced && released.push(m.id))));
    }
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_CAP_MS)));
    await Promise.race([Promise.all(waits), cap]);
    clearTimeout(timer);
    s.closedAt = nowMicros();
    return { ...s.report(), released: released.sort(byNumber) };
  }

  private record(id: string): SessionRecord {
    const s = this.sessions.get(id);
    if (!s) throw sessionNotFound(id);
    return s;
  }

  private forgetOldestClosed(): void {
    for (const s of this.sessions.values()) {
      if (s.closedAt === null) continue;
      this.sessions.delete(s.id);
      for (const m of s.members.keys()) this.owners.delete(m);
      return;
    }
    throw limitReached('maxSessions', MAX_SESSIONS);
  }

  private join(sessionId: string | null | undefined, member: Parameters<SessionRecord['add']>[0]): void {
    const s = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!s) return;
    this.owners.set(member.id, s);
    for (const dropped of s.add(member)) this.owners.delete(dropped);
    // It joined while DELETE was under way (a bind or an accept in flight): it goes too.
    if (s.open) return;
    if (member.kind === 'listener') void this.host.closeListener(member.id);
    else if (s.cleanup === 'reset') void this.host.abortConnection(member.id);
    else void this.host.finishConnection(member.id);
  }

  private onEvent(e: InspectorEvent): void {
    switch (e.type) {
      case 'socket/opened': {
        const c = e.connection;
        const member = { id: c.id, kind: c.kind, state: c.state, bytesIn: 0, bytesOut: 0, fault: null };
        return this.join(c.session, member);
      }
      case 'listener/opened': {
        const l = e.listener;
        return this.join(l.session, {
          id: l.id,
          kind: 'listener',
          state: l.state,
          bytesIn: 0,
          bytesOut: 0,
          fault: null,
        });
      }
      default:
        return this.update(e);
    }
  }

  private update(e: InspectorEvent): void {
    const s = this.owners.get(e.id);
    const m = s?.members.get(e.id);
    if (!s || !m) return;
    switch (e.type) {
      case 'socket/data':
        if (e.direction === 'in') m.bytesIn += e.length;
        else m.bytesOut += e.length;
        return;
      case 'socket/state':
      case 'listener/state':
        m.state = e.to;
        return;
      case 'socket/fault':
        m.fault = e.fault.code;
        s.addFault(e.id, e.fault);
        return;
      case 'listener/fault':
        m.fault = e.fault.code;
        return;
      case 'socket/closed':
        Object.assign(m, { state: e.connection.state, bytesIn: e.connection.bytesIn, bytesOut: e.connection.bytesOut });
        return;
      default:
        return;
    }
  }
}
