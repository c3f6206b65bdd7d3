// One listening net.Server: binds, hands accepted sockets to the inspector, reports its own faults.
import net from 'node:net';
import {
  canListenerTransition,
  type AcceptMode,
  type ConfigChange,
  type ListenerRow,
  type ListenerState,
  type UnsequencedEvent,
} from '../../shared';
import { listenKey, sameKernelFields, type KernelFields, type KernelKey } from '../kernel/kernel-match';
import { nowMicros } from './clock';
import { bindFailed, badRequest } from './errors';
import { isLoopbackAddress } from './local-address';
import { bindNeverAccept, type ListeningServer } from './never-accept-server';
import { featureDefaults } from './connection-row';
import { Plugs, type ListenerPlug, type PlugSlot } from './plugs';
import type { TrackedSocket } from './tracked-socket';
import { toFault } from './to-fault';

export interface ListenerSpec {
  host: string;
  port: number;
  backlog: number;
  accept: AcceptMode;
  closeOnPeerFin: boolean;
}

export interface ListenerHost {
  emit(e: UnsequencedEvent): void;
  /** A connection arrived: the host decides whether to track it or drop it. */
  adopt(listener: TrackedListener, socket: net.Socket): void;
  terminated(listener: TrackedListener): void;
}

/** Binds; resolves with the listening server, or rejects with BIND_FAILED (nothing is left behind). */
export function bindServer(spec: ListenerSpec, onBound: (server: ListeningServer) => void): Promise<void> {
  if (spec.accept === 'never') return bindNeverAccept(spec, onBound);
  return new Promise((resolve, reject) => {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: spec.accept === 'hold' });
    const where = { syscall: 'listen', address: spec.host, port: spec.port };
    const onError = (err: Error) => reject(bindFailed(toFault(err, 'listening', where)));
    server.once('error', onError);
    try {
      // onBound runs inside the 'listening' callback, so handlers are wired before any connection can arrive.
      server.listen({ host: spec.host, port: spec.port, backlog: spec.backlog }, () => {
        server.off('error', onError);
        try {
          onBound(server);
          resolve();
        } catch (err) {
          server.close();
          reject(err);
        }
      });
    } catch (err) {
      reject(badRequest(err instanceof Error ? err.message : String(err)));
    }
  });
}

export class TrackedListener {
  readonly kind = 'listener' as const;
  private readonly row: ListenerRow;
  private readonly key: KernelKey;
  /** Features that give the connections it accepts their settings (framing, responders...). */
  private readonly plugs = new Plugs<ListenerPlug<TrackedSocket>>();
  private resolveClosed!: () => void;
  /** Settles when the server has closed (after its last connection ended). */
  readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));

  constructor(
    id: string,
    private readonly server: ListeningServer,
    spec: ListenerSpec,
    private readonly host: ListenerHost,
  ) {
    const address = server.address() as net.AddressInfo;
    this.row = {
      id,
      local: { address: address.address, port: address.port },
      family: address.family === 'IPv6' ? 'IPv6' : 'IPv4',
      backlog: spec.backlog,
      accept: spec.accept,
      closeOnPeerFin: spec.closeOnPeerFin,
      exposed: !isLoopbackAddress(address.address),
      state: 'listening',
      accepted: 0,
      dropped: 0,
      createdAt: nowMicros(),
      closedAt: null,
      fault: null,
      framing: null,
      responders: featureDefaults().responders,
      tcpState: null,
      recvQ: null,
      sendQ: null,
    };
    this.key = listenKey(this.row.local);
    server.on('connection', (socket: net.Socket) => host.adopt(this, socket));
    server.on('error', (err) => this.onError(err));
    server.on('close', () => this.resolveClosed());
  }

  get id(): string {
    return this.row.id;
  }
  get state(): ListenerState {
    return this.row.state;
  }
  get accept(): AcceptMode {
    return this.row.accept;
  }
  get closeOnPeerFin(): boolean {
    return this.row.closeOnPeerFin ?? false;
  }
  /** Connections it accepts join the same session. */
  get session(): string | null {
    return this.row.session ?? null;
  }
  /** Joins a session: call before announce() so listener/opened carries it. */
  joinSession(session: string): void {
    this.row.session = session;
  }
  get backlog(): number {
    return this.row.backlog;
  }
  /** The feature in `slot`, if this listener has one. */
  plugged<T extends ListenerPlug<TrackedSocket>>(slot: PlugSlot<T>): T | null {
    return this.plugs.get(slot);
  }

  /** Plugs a feature into `slot` (null: unplugs it); the caller announces the change (announceConfig). */
  plug<T extends ListenerPlug<TrackedSocket>>(slot: PlugSlot<T>, plug: T | null): void {
    this.plugs.set(slot, plug);
  }

  /** A connection it just accepted, not started yet: each plugged feature gives it its settings. */
  adopted(socket: TrackedSocket): void {
    for (const plug of this.plugs.list) plug.adopted?.(socket);
  }

  /** The head connections accepted from now on keep (null: the captureHeadBytes limit). */
  get captureHeadBytes(): number | null {
    return this.row.captureHeadBytes ?? null;
  }

  setCaptureHeadBytes(bytes: number): void {
    this.row.captureHeadBytes = bytes;
    this.announceConfig('options');
  }

  kernelKey(): KernelKey {
    return this.key;
  }

  applyKernel(fields: KernelFields): boolean {
    if (sameKernelFields(this.row, fields)) return false;
    const { tcpState, recvQ, sendQ } = fields;
    Object.assign(this.row, { tcpState, recvQ, sendQ });
    this.host.emit({ type: 'listener/kernel', at: nowMicros(), id: this.id, tcpState, recvQ, sendQ });
    return true;
  }

  snapshot(): ListenerRow {
    const row = { ...this.row, local: { ...this.row.local } };
    for (const plug of this.plugs.list) plug.describe?.(row);
    return row;
  }

  announce(): void {
    this.host.emit({ type: 'listener/opened', at: this.row.createdAt, id: this.id, listener: this.snapshot() });
  }

  /** Tells watchers the settings a REST call just changed. */
  announceConfig(changed: ConfigChange): void {
    const { framing, responders, closeOnPeerFin, captureHeadBytes } = this.snapshot();
    this.host.emit({
      type: 'listener/config',
      at: nowMicros(),
      id: this.id,
      changed,
      framing: framing ?? null,
      responders: responders ?? featureDefaults().responders,
      closeOnPeerFin: closeOnPeerFin ?? false,
      captureHeadBytes: captureHeadBytes ?? null,
    });
  }

  countAccepted(): void {
    this.row.accepted++;
  }

  countDropped(): void {
    this.row.dropped++;
  }

  /** Stops accepting; connections already accepted are not touched here. */
  close(): void {
    if (this.row.state !== 'listening') return;
    this.server.close();
    this.transition('closed');
  }

  private onError(err: Error): void {
    const fault = toFault(err, this.row.state);
    this.row.fault = fault;
    this.host.emit({ type: 'listener/fault', at: fault.at, id: this.id, fault });
    if (this.row.state !== 'listening') return;
    this.server.close();
    this.transition('failed');
  }

  private transition(to: ListenerState): void {
    const from = this.row.state;
    if (!canListenerTransition(from, to)) return;
    const at = nowMicros();
    this.row.state = to;
    this.row.closedAt = at;
    this.host.emit({ type: 'listener/state', at, id: this.id, from, to });
    this.host.emit({ type: 'listener/closed', at, id: this.id, listener: this.snapshot() });
    this.host.terminated(this);
  }
}
