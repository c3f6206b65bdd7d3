// One expect condition against one connection: checked on what is there now, then on each event of that connection.
// Byte conditions are in byte-condition.ts; state, fault and kernel state here.
import {
  canTransition,
  isTerminal,
  type ConnectionRow,
  type ConnectionState,
  type ExpectSeen,
  type InspectorEvent,
  type KernelAvailability,
  type TcpState,
} from '../../shared';
import type { ConnectionCapture } from '../inspector/capture';
import type { ByteMatch } from './matchers';

/** What expect needs of a connection (TrackedSocket is one). */
export interface ExpectTarget {
  readonly id: string;
  readonly state: ConnectionState;
  readonly capture: ConnectionCapture;
  snapshot(): ConnectionRow;
}

/** Held (match null for state, tcpState and fault), or can never hold and why: a clause that follows "but". */
export type Outcome = { match: ByteMatch | null } | { never: string };

export interface Condition {
  /**
   * Against what is there now: bytes already captured after the cursor, the current state. A long history may be
   * matched over several turns of the event loop: an outcome found after this returned comes through `later`.
   */
  start(later: (outcome: Outcome) => void): Outcome | null;
  /** An event of this connection. */
  event(e: InspectorEvent): Outcome | null;
  /** What the connection showed, for a failure: the `seen` of the error and its words for the message. */
  seen(): { seen: ExpectSeen; text: string };
  /** The wait is over: work still scheduled by start() is dropped. */
  stop?(): void;
}

const CONNECTION_STATES: readonly ConnectionState[] = [
  'connecting',
  'open',
  'half-closed-local',
  'half-closed-remote',
  'closed',
  'failed',
];

/** State, kernel state and fault of the connection, for `seen`. */
export function baseSeen(t: ExpectTarget): Omit<ExpectSeen, 'bytes' | 'data'> {
  const row = t.snapshot();
  return { state: row.state, tcpState: row.tcpState, fault: row.fault?.code ?? null };
}

/** `c-3 is failed (ECONNRESET)`: the start of a `never`, which reads after "but". */
export function isNow(t: ExpectTarget, state: ConnectionState): string {
  const fault = t.snapshot().fault?.code;
  return `${t.id} is ${state}${fault ? ` (${fault})` : ''}`;
}

/** States `to` can still be reached from `from` (itself included). */
function reachable(from: ConnectionState, to: ConnectionState): boolean {
  const seen = new Set<ConnectionState>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (s === to) return true;
    for (const n of CONNECTION_STATES) {
      if (!seen.has(n) && canTransition(s, n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}

export class StateCondition implements Condition {
  constructor(
    private readonly t: ExpectTarget,
    private readonly target: ConnectionState,
  ) {}

  start(): Outcome | null {
    return this.check(this.t.state);
  }

  event(e: InspectorEvent): Outcome | null {
    return e.type === 'socket/state' ? this.check(e.to) : null;
  }

  seen(): { seen: ExpectSeen; text: string } {
    const seen = { ...baseSeen(this.t), bytes: 0, data: '' };
    return { seen, text: `it is ${seen.state}` };
  }

  private check(state: ConnectionState): Outcome | null {
    if (state === this.target) return { match: null };
    if (reachable(state, this.target)) return null;
    return { never: `${isNow(this.t, state)}, from where ${this.target} cannot be reached` };
  }
}

export class FaultCondition implements Condition {
  constructor(
    private readonly t: ExpectTarget,
    private readonly code: string,
  ) {}

  start(): Outcome | null {
    const row = this.t.snapshot();
    if (row.fault?.code === this.code) return { match: null };
    return this.closed(row.state, row.fault?.code ?? null);
  }

  event(e: InspectorEvent): Outcome | null {
    if (e.type === 'socket/fault' && e.fault.code === this.code) return { match: null };
    if (e.type === 'socket/state') return this.closed(e.to, this.t.snapshot().fault?.code ?? null);
    return null;
  }

  seen(): { seen: ExpectSeen; text: string } {
    const seen = { ...baseSeen(this.t), bytes: 0, data: '' };
    return { seen, text: `${seen.fault === null ? 'no fault' : `its fault is ${seen.fault}`} (it is ${seen.state})` };
  }

  private closed(state: ConnectionState, fault: string | null): Outcome | null {
    if (!isTerminal(state)) return null;
    const id = this.t.id;
    return {
      never:
        fault === null
          ? `${id} is ${state} without a fault, and no fault can come any more`
          : `${id} is ${state} with fault ${fault}, and no other fault can come`,
    };
  }
}

/** The kernel's state, from the row (fresh after the route's refresh), each socket/kernel event and the polls. */
export class TcpStateCondition implements Condition {
  constructor(
    private readonly t: ExpectTarget,
    private readonly target: TcpState,
    private readonly kernel: KernelAvailability,
  ) {}

  start(): Outcome | null {
    if (!this.kernel.available)
      return { never: `the kernel view is unavailable: ${this.kernel.reason ?? 'no reason given'}` };
    return this.t.snapshot().tcpState === this.target ? { match: null } : null;
  }

  event(e: InspectorEvent): Outcome | null {
    return e.type === 'socket/kernel' && e.tcpState === this.target ? { match: null } : null;
  }

  seen(): { seen: ExpectSeen; text: string } {
    const seen = { ...baseSeen(this.t), bytes: 0, data: '' };
    return { seen, text: `the kernel shows ${seen.tcpState ?? 'no TCP state for it'} (it is ${seen.state})` };
  }
}
