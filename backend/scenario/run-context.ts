// What a run knows while it goes: the names its steps bound, the sockets behind them, and the ${...} values.
import {
  SCENARIO_REF_PATTERN,
  interpolateDeep,
  plural,
  type BoundKind,
  type ConnectionRow,
  type Endpoint,
  type VarValue,
} from '../../shared';
import type { InspectorApi } from '../inspector/api';
import { StepFailure } from './step-failure';
import { waitFor } from './waiting';

export interface Target {
  kind: BoundKind;
  id: string;
}

/** How long `srv.accepted[N]` waits for the Nth connection to be accepted. */
export const ACCEPTED_WAIT_MS = 2000;

const connectionNumber = (id: string): number => Number(id.slice(2));

export class RunContext {
  private readonly names = new Map<string, Target>();

  constructor(
    readonly inspector: InspectorApi,
    readonly session: string,
    private readonly scenarioVars: Readonly<Record<string, VarValue>>,
    readonly signal: AbortSignal,
  ) {}

  bind(name: string, kind: BoundKind, id: string): void {
    this.names.set(name, { kind, id });
  }

  /** `cli`, `srv`, or `srv.accepted[0]` (waits up to ACCEPTED_WAIT_MS for that connection to be accepted). */
  async target(ref: string): Promise<Target> {
    const m = SCENARIO_REF_PATTERN.exec(ref);
    const bound = m ? this.names.get(m[1]!) : undefined;
    if (!m || !bound) throw new StepFailure(`"${ref}" names no socket of this run`);
    if (m[2] === undefined) return bound;
    const n = Number(m[2]);
    const found = await waitFor(
      this.inspector,
      () => this.accepted(bound.id)[n],
      ACCEPTED_WAIT_MS,
      this.signal,
      (e) => e.type === 'socket/opened' && e.connection.parent === bound.id,
    );
    if (found) return { kind: 'connection', id: found.id };
    const count = this.accepted(bound.id).length;
    throw new StepFailure(
      `${ref}: ${m[1]} (${bound.id}) accepted ${plural(count, 'connection')} within ${ACCEPTED_WAIT_MS} ms, so there is no accepted[${n}]`,
    );
  }

  /** Host and port to dial for `to: srv`: a wildcard bind is reached through loopback. */
  listenerAddress(name: string): { host: string; port: number } {
    const t = this.names.get(name);
    if (!t || t.kind !== 'listener') throw new StepFailure(`"${name}" names no listener of this run`);
    const { address, port } = this.inspector.getListener(t.id).local;
    const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
    return { host, port };
  }

  /** Every string inside the step's params with its ${...} replaced (InterpolationError for an unknown one). */
  interpolate<T>(params: T): T {
    return interpolateDeep(params, this.vars());
  }

  /** `srv.port`, `srv.host`, `cli.port`, `cli.host`, `cli.localPort`, `vars.X`: read from the rows as they are now. */
  vars(): Record<string, VarValue> {
    const vars: Record<string, VarValue> = {};
    for (const [k, v] of Object.entries(this.scenarioVars)) vars[`vars.${k}`] = v;
    for (const [name, t] of this.names) {
      const endpoints = this.endpoints(t);
      if (endpoints.remote) {
        vars[`${name}.host`] = endpoints.remote.address;
        vars[`${name}.port`] = endpoints.remote.port;
      }
      if (endpoints.local && t.kind === 'connection') vars[`${name}.localPort`] = endpoints.local.port;
    }
    return vars;
  }

  /** A listener's own address counts as its host/port; a connection's are its peer's (or target's). */
  private endpoints(t: Target): { remote: Endpoint | null; local: Endpoint | null } {
    try {
      if (t.kind === 'listener') return { remote: this.inspector.getListener(t.id).local, local: null };
      const row = this.inspector.getConnection(t.id);
      return { remote: row.remote ?? row.target, local: row.local };
    } catch {
      return { remote: null, local: null }; // a closed row the inspector has forgotten
    }
  }

  private accepted(listenerId: string): ConnectionRow[] {
    return this.inspector
      .sockets()
      .connections.filter((c) => c.kind === 'accepted' && c.parent === listenerId)
      .sort((a, b) => connectionNumber(a.id) - connectionNumber(b.id));
  }
}
