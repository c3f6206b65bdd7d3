// One connection (client or accepted): maps Node's socket events onto app states, counts bytes, records faults.
import type net from 'node:net';
import {
  canTransition,
  isTerminal,
  isWritable,
  type AcceptMode,
  type ConfigChange,
  type ConnectionRow,
  type ConnectionState,
  type Direction,
  type Fault,
  type SocketOptionsBody,
  type UnsequencedEvent,
} from '../../shared';
import { connectionKey, sameKernelFields, type KernelFields, type KernelKey } from '../kernel/kernel-match';
import type { ConnectionCapture, KeepMode } from './capture';
import { nowMicros } from './clock';
import { dataEvent } from './data-event';
import { endpointsOf, featureDefaults, newRow, type Endpoints } from './connection-row';
import { Dialer, type DialTarget } from './dialer';
import { invalidState, notWritable, queueFull } from './errors';
import { Plugs, type PlugSlot, type SocketPlug } from './plugs';
import { QueueReporter } from './queue-reporter';
import { readInto } from './read-into';
import type { RetryPolicy } from './retry';
import { toFault } from './to-fault';

export interface SocketHost {
  emit(e: UnsequencedEvent): void;
  /** Bytes Node may buffer for one connection: echo stops reading above it (sends are refused by the inspector). */
  maxQueuedBytes(): number;
  /** What all connections together may still queue (maxQueuedBytesTotal less their queuedBytes); may be below 0. */
  totalQueueRoom(): number;
  /** Called once, right after the row became closed or failed. */
  terminated(socket: TrackedSocket): void;
}

type CloseRequest = 'close' | 'reset';

export class TrackedSocket {
  readonly kind = 'connection' as const;
  private socket: net.Socket | null = null;
  private dialer: Dialer | null = null;
  private echo = false;
  private errorFault: Fault | null = null;
  private closeRequest: CloseRequest | null = null;
  private lastFin: 'local' | 'remote' | null = null;
  private keepAliveDelayMs = 0;
  /** Echo stopped reading because the echoed bytes piled up in Node; 'drain' resumes it. */
  private echoBlocked = false;
  private key: KernelKey | null = null;
  /** Features plugged into this connection (framing, responders...): backend/inspector/plugs.ts. */
  private readonly plugs = new Plugs<SocketPlug>();
  /** Some plug keeps read bytes past the capture (recomputed when plugs change, read per read). */
  private plugsKeepReads = false;
  private readonly queue = new QueueReporter(
    () => this.queuedBytes,
    (queuedBytes) => this.host.emit({ type: 'socket/queue', at: nowMicros(), id: this.id, queuedBytes }),
  );
  private resolveDone!: () => void;
  /** Settles once the row is terminal. */
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  private constructor(
    private readonly row: ConnectionRow,
    readonly capture: ConnectionCapture,
    private readonly host: SocketHost,
  ) {}

  /** Set from the listener: close as soon as the peer's FIN arrives. */
  closeOnPeerFin = false;

  get id(): string {
    return this.row.id;
  }
  get state(): ConnectionState {
    return this.row.state;
  }
  get parent(): string | null {
    return this.row.parent;
  }
  get session(): string | null {
    return this.row.session ?? null;
  }
  /** Joins a session: call before start() so socket/opened carries it. */
  joinSession(session: string): void {
    this.row.session = session;
  }
  /** Bytes written but still buffered in Node (not yet taken by the kernel). */
  get queuedBytes(): number {
    const s = this.socket;
    return s !== null && !s.destroyed ? s.writableLength : 0;
  }

  /** A client connection, state `connecting`. Call start() to emit socket/opened and dial. */
  static client(
    id: string,
    target: DialTarget,
    policy: RetryPolicy,
    opts: { noDelay?: boolean; keepAlive?: boolean },
    capture: ConnectionCapture,
    host: SocketHost,
  ): TrackedSocket {
    const row = newRow(id, 'client', 'connecting');
    row.target = { address: target.host, port: target.port };
    Object.assign(row, {
      attempts: policy.attempts,
      noDelay: opts.noDelay ?? false,
      keepAlive: opts.keepAlive ?? false,
    });
    const t = new TrackedSocket(row, capture, host);
    t.dialer = new Dialer(target, policy, {
      attempt: (n) => t.onAttempt(n, target),
      fault: (fault, attempt, retryInMs) => t.reportFault(fault, attempt, retryInMs),
      connected: (socket) => t.onConnected(socket),
      gaveUp: (cause) => t.transition('failed', cause),
    });
    return t;
  }

  /** A connection a listener accepted: born `open`. Call start() to emit socket/opened. */
  static accepted(
    id: string,
    parent: string,
    socket: net.Socket,
    mode: AcceptMode,
    capture: ConnectionCapture,
    host: SocketHost,
  ): TrackedSocket {
    const row = newRow(id, 'accepted', 'open');
    Object.assign(row, { parent, paused: mode === 'hold' }, endpointsOf(socket));
    const t = new TrackedSocket(row, capture, host);
    t.echo = mode === 'echo';
    t.attach(socket);
    return t;
  }

  start(): void {
    this.host.emit({ type: 'socket/opened', at: this.row.createdAt, id: this.id, connection: this.snapshot() });
    this.dialer?.start();
  }

  snapshot(): ConnectionRow {
    const c = this.capture;
    const row: ConnectionRow = {
      ...this.row,
      target: this.row.target && { ...this.row.target },
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      chunksIn: c.chunksIn,
      chunksOut: c.chunksOut,
      droppedBytes: c.droppedBytes,
      droppedChunks: c.droppedChunks,
      queuedBytes: this.queuedBytes,
      ...featureDefaults(),
      captureHeadBytes: c.captureHeadBytes,
      closeOnPeerFin: this.closeOnPeerFin,
    };
    for (const plug of this.plugs.list) plug.describe?.(row);
    return row;
  }

  /** Tells watchers the settings a REST call just changed (socket/opened carries those set before start()). */
  announceConfig(changed: ConfigChange): void {
    const { framing, responders, noDelay, keepAlive, closeOnPeerFin } = this.snapshot();
    this.host.emit({
      type: 'socket/config',
      at: nowMicros(),
      id: this.id,
      changed,
      framing: framing ?? null,
      responders: responders ?? featureDefaults().responders,
      noDelay,
      keepAlive,
      closeOnPeerFin: closeOnPeerFin ?? false,
      captureHeadBytes: this.capture.captureHeadBytes,
    });
  }

  // ---- plugs (backend/inspector/plugs.ts) -----------------------------------

  /** The feature in `slot`, if this connection has one. */
  plugged<T extends SocketPlug>(slot: PlugSlot<T>): T | null {
    return this.plugs.get(slot);
  }

  /** Plugs a feature into `slot` (null: unplugs it); the caller ends the one it replaces. */
  plug<T extends SocketPlug>(slot: PlugSlot<T>, plug: T | null): void {
    this.plugs.set(slot, plug);
    this.plugsKeepReads = this.plugs.list.some((p) => p.keepsReads === true);
  }

  /** The closed row is dropped from the table: its capture and what its plugs keep are let go. */
  forget(): void {
    this.capture.forget();
    for (const plug of this.plugs.list) plug.forgotten?.();
  }

  /**
   * A feature's write (a reply): captured and reported like any write, `flushed` called once Node handed the bytes
   * over. False, and nothing written, when the connection cannot send now or the bytes would pass a queue bound.
   */
  tryWrite(bytes: Buffer, flushed: () => void): boolean {
    const socket = this.writableSocket();
    if (!socket || socket.writableLength + bytes.length > this.host.maxQueuedBytes()) return false;
    if (bytes.length > this.host.totalQueueRoom()) return false;
    // A reset right after a write still in libuv's queue goes out as a FIN: act once the bytes are handed over.
    if (bytes.length > 0) this.write(socket, bytes, flushed);
    else flushed();
    return true;
  }

  /** Throws INVALID_STATE naming `action` once the row is closed or failed. */
  assertLive(action: string): void {
    if (isTerminal(this.row.state)) throw invalidState(this.id, this.row.state, action);
  }

  // ---- kernel view ---------------------------------------------------------

  kernelKey(): KernelKey | null {
    const { local, remote } = this.row;
    if (this.key === null && local !== null && remote !== null) this.key = connectionKey(local, remote);
    return this.key;
  }

  applyKernel(fields: KernelFields): boolean {
    if (sameKernelFields(this.row, fields)) return false;
    const { tcpState, recvQ, sendQ } = fields;
    Object.assign(this.row, { tcpState, recvQ, sendQ });
    this.host.emit({ type: 'socket/kernel', at: nowMicros(), id: this.id, tcpState, recvQ, sendQ });
    return true;
  }

  /** Reports a change of queuedBytes (rate-limited); the poll tick calls it, as do writes and 'drain'. */
  checkQueue(): void {
    if (!isTerminal(this.row.state)) this.queue.check();
  }

  // ---- actions -------------------------------------------------------------

  /**
   * One write of a send (its own out chunk and socket/data event). Throws NOT_WRITABLE, or LIMIT_REACHED when the bytes
   * would take Node's buffer past maxQueuedBytes; an empty write only checks.
   */
  send(bytes: Buffer): void {
    const socket = this.writableSocket();
    if (!socket) throw notWritable(this.id, this.describeState());
    const max = this.host.maxQueuedBytes();
    if (socket.writableLength + bytes.length > max) throw queueFull(socket.writableLength, bytes.length, max);
    if (bytes.length > 0) this.write(socket, bytes);
  }

  shutdown(): void {
    const socket = this.writableSocket();
    if (!socket) throw invalidState(this.id, this.describeState(), 'shut down');
    this.lastFin = 'local';
    socket.end();
    // From half-closed-remote both FINs have now crossed: Node emits 'close' and we go to closed then.
    if (this.row.state === 'open') this.transition('half-closed-local', 'shutdown');
  }

  close(): void {
    this.closeWith('close');
  }

  reset(): void {
    this.closeWith('reset');
  }

  /** Ends the connection now, whatever the state (RST when possible); resolves once terminal. Used by dispose. */
  abort(): Promise<void> {
    const socket = this.socket;
    if (this.row.state === 'connecting') this.closeWith('reset');
    else if (!isTerminal(this.row.state) && socket && !socket.destroyed) {
      this.closeRequest = socket.writableEnded ? (this.closeRequest ?? 'close') : 'reset';
      if (socket.writableEnded) socket.destroy();
      else socket.resetAndDestroy();
    }
    return this.done;
  }

  setPaused(paused: boolean): void {
    this.assertLive(paused ? 'pause' : 'resume');
    if (this.row.paused === paused) return;
    this.row.paused = paused;
    if (paused) this.socket?.pause();
    else if (!this.echoBlocked) this.socket?.resume();
    this.host.emit({ type: 'socket/flow', at: nowMicros(), id: this.id, paused });
  }

  setOptions(opts: SocketOptionsBody): void {
    this.assertLive('set options');
    if (opts.noDelay !== undefined) this.row.noDelay = opts.noDelay;
    if (opts.keepAlive !== undefined) this.row.keepAlive = opts.keepAlive;
    if (opts.keepAliveDelayMs !== undefined) this.keepAliveDelayMs = opts.keepAliveDelayMs;
    if (opts.captureHeadBytes !== undefined) this.capture.setHeadBytes(opts.captureHeadBytes);
    if (this.socket && !this.socket.destroyed) this.applyOptions(this.socket);
    this.announceConfig('options');
  }

  // ---- Node events ---------------------------------------------------------

  private onAttempt(attempt: number, target: DialTarget): void {
    this.row.attempt = attempt;
    const { attempts } = this.row;
    this.host.emit({
      type: 'socket/attempt',
      at: nowMicros(),
      id: this.id,
      attempt,
      attempts,
      host: target.host,
      port: target.port,
    });
  }

  private onConnected(socket: net.Socket): void {
    if (this.row.paused) socket.pause();
    this.attach(socket);
    this.applyOptions(socket);
    const ends = endpointsOf(socket);
    Object.assign(this.row, ends);
    this.transition('open', 'connect', ends);
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    if (!readInto(socket, (view) => this.onData(view, true)))
      socket.on('data', (data: Buffer) => this.onData(data, false));
    socket.on('end', () => this.onEnd());
    socket.on('error', (err) => this.onError(err));
    socket.on('close', () => this.onClose());
    socket.on('drain', () => this.onDrain());
  }

  /** `reused`: `read` is sockscope's read buffer (read-into.ts), overwritten by the next read. */
  private onData(read: Buffer, reused: boolean): void {
    const data = this.record('in', read, reused ? this.keepMode() : 'none');
    const plugs = this.plugs.list;
    for (let i = 0; i < plugs.length; i++) plugs[i]!.read?.(data);
    const socket = this.echo ? this.writableSocket() : null;
    if (!socket) return;
    this.write(socket, data);
    // A peer that sends but never reads would make the echo grow without bound: stop reading, as pipe() does. Past the
    // total, stop only with a 'drain' to come (writableNeedDrain) to resume it: below Node's highWaterMark the echo
    // may pass the total by at most that and one read.
    const full = socket.writableNeedDrain && this.host.totalQueueRoom() <= 0;
    if (socket.writableLength >= this.host.maxQueuedBytes() || full) {
      this.echoBlocked = true;
      socket.pause();
    }
  }

  private onDrain(): void {
    this.queue.check();
    if (!this.echoBlocked) return;
    this.echoBlocked = false;
    if (!this.row.paused) this.socket?.resume();
  }

  private onEnd(): void {
    this.lastFin = 'remote';
    if (this.row.state === 'open') this.transition('half-closed-remote', 'peer-fin');
    // Like a server loop that closes on recv() == b'': flush what is queued, FIN back, release the socket.
    if (this.closeOnPeerFin && this.row.state === 'half-closed-remote' && !this.closeRequest) this.close();
  }

  // Node always follows 'error' with 'close': the fault is reported now, the state moves on 'close'.
  private onError(err: Error): void {
    const remote = this.row.remote;
    const fault = toFault(err, this.row.state, remote ? { address: remote.address, port: remote.port } : {});
    this.errorFault = fault;
    this.reportFault(fault, this.row.attempt, null);
  }

  private onClose(): void {
    if (this.errorFault) this.transition('failed', 'error');
    else
      this.transition(
        'closed',
        this.closeRequest ??
          (this.lastFin === 'remote' ? 'peer-fin' : this.lastFin === 'local' ? 'shutdown' : 'peer-close'),
      );
  }

  // ---- internals -----------------------------------------------------------

  private reportFault(fault: Fault, attempt: number, retryInMs: number | null): void {
    this.row.fault = fault;
    this.host.emit({ type: 'socket/fault', at: fault.at, id: this.id, fault, attempt, retryInMs });
  }

  private transition(to: ConnectionState, cause: string, ends?: Endpoints): void {
    const from = this.row.state;
    if (from === to || !canTransition(from, to)) return;
    const at = nowMicros();
    this.row.state = to;
    this.row.stateChangedAt = at;
    if (isTerminal(to)) this.row.closedAt = at;
    this.host.emit({ type: 'socket/state', at, id: this.id, from, to, cause, ...ends });
    if (!isTerminal(to)) return;
    this.dialer?.cancel();
    this.queue.stop();
    for (const plug of this.plugs.list) plug.ended?.();
    this.host.emit({ type: 'socket/closed', at, id: this.id, connection: this.snapshot() });
    this.resolveDone();
    this.host.terminated(this);
  }

  private closeWith(request: CloseRequest): void {
    const state = this.row.state;
    if (isTerminal(state)) throw invalidState(this.id, state, request);
    if (state === 'connecting') {
      this.dialer?.cancel();
      this.transition('closed', request);
      return;
    }
    const socket = this.socket;
    if (!socket || socket.destroyed || this.errorFault || this.closeRequest === request) return;
    // libuv cannot RST a socket that has sent its FIN (uv_tcp_close_reset -> EINVAL, and Node then never emits 'close').
    if (request === 'reset' && socket.writableEnded) {
      throw invalidState(this.id, this.describeState(), 'reset after our FIN was sent (close it instead)');
    }
    this.closeRequest = request;
    // close = close(2): flush, FIN, release the fd; the kernel then owns FIN_WAIT/TIME_WAIT.
    if (request === 'reset') socket.resetAndDestroy();
    else socket.destroySoon();
  }

  private write(socket: net.Socket, bytes: Buffer, flushed?: () => void): void {
    socket.write(bytes, flushed && (() => flushed()));
    this.record('out', bytes);
    this.queue.check();
  }

  /** Captures one chunk, shows it to the plugs (framing decodes it) and reports it; returns the bytes as kept (a copy when `mode` asks for one). */
  private record(direction: Direction, given: Buffer, mode: KeepMode = 'none'): Buffer {
    const at = nowMicros();
    const kept = this.capture.record(direction, given, at, mode);
    const plugs = this.plugs.list;
    for (let i = 0; i < plugs.length; i++) plugs[i]!.chunk?.(direction, kept.bytes, kept.index, kept.recycled);
    const recycledBy = kept.recycled ? this.capture : null;
    this.host.emit(dataEvent(at, this.id, direction, kept.index, kept.offset, kept.bytes, recycledBy));
    return kept.bytes;
  }

  /**
   * A read is copied once out of the shared read buffer: into a recycled slab unless something keeps the bytes
   * longer than the capture does (the echo's write, or a plug's such as a responder's echo, may wait in Node's queue,
   * and is captured as an out chunk of the same bytes). A framing decoder copies the part of a frame it keeps itself.
   */
  private keepMode(): KeepMode {
    return this.echo || this.plugsKeepReads ? 'own' : 'recycle';
  }

  /** The socket if the user may write to it now (not closing, no error pending). */
  private writableSocket(): net.Socket | null {
    const s = this.socket;
    if (!s || !isWritable(this.row.state) || this.closeRequest || this.errorFault || s.destroyed || !s.writable)
      return null;
    return s;
  }

  private describeState(): string {
    return this.closeRequest && !isTerminal(this.row.state) ? `${this.row.state} (closing)` : this.row.state;
  }

  private applyOptions(socket: net.Socket): void {
    socket.setNoDelay(this.row.noDelay);
    socket.setKeepAlive(this.row.keepAlive, this.keepAliveDelayMs);
  }
}
