// The inspector core: owns every connection and listener, mints ids, enforces limits, serves queries.
import type net from 'node:net';
import {
  DEFAULT_LIMITS,
  DEFAULT_PAGE_LIMIT,
  GRACEFUL_CLOSE_MS,
  isTerminal,
  type CleanupMode,
  type ChunksQuery,
  type ChunksReply,
  type ConnectionRow,
  type EventsPage,
  type EventsQuery,
  type HostSocketsQuery,
  type HostSocketsReply,
  type InspectorEvent,
  type KernelAvailability,
  type Limits,
  type ListenerRow,
  type ListenerOptionsBody,
  type OpenConnectionBody,
  type OpenListenerBody,
  type SendReply,
  type Sockets,
  type SocketOptionsBody,
  type UnsequencedEvent,
  type SendBody,
  type ExpectBody,
  type ExpectReply,
  type CreateSessionBody,
  type Session,
  type SessionList,
  type SessionReport,
  type ScenarioEvent,
  type TargetRule,
} from '../../shared';
import type { InspectorApi, InspectorOptions, Subscription } from './api';
import { CaptureStore } from './capture';
import { nowMicros } from './clock';
import { connectionNotFound, inspectorDisposed, limitReached, listenerNotFound } from './errors';
import { SelfConnectGuard } from './local-address';
import { listenerSendError } from '../send/listener-send';
import { resolveRetry } from './retry';
import { TrackedListener, bindServer } from './tracked-listener';
import { TrackedSocket } from './tracked-socket';
import { EventLog } from './event-log';
import { SendJobs } from '../send/send-job';
import { QueueBudget } from './queue-budget';
import { TargetPolicy } from './target-policy';
import { Expecter } from '../expect/expecter';
import { SessionRegistry } from '../sessions/sessions';
import type { ClosedSession } from '../sessions/session-record';
import { closeGracefully } from '../sessions/graceful-close';
import { checkConnectionBody, checkListenerBody } from './validate';
import { RowTable } from './row-table';
import { KernelView } from '../kernel/kernel-view';

const settled = (s: ConnectionRow['state']): boolean => s === 'open' || isTerminal(s);
/** Events the kernel view itself emits: they must not keep it polling fast. */
const KERNEL_EVENTS = new Set<InspectorEvent['type']>(['socket/kernel', 'listener/kernel', 'socket/queue']);

function mergeLimits(partial: Partial<Limits> = {}): Limits {
  const defined = Object.entries(partial).filter(([, v]) => v !== undefined);
  return { ...DEFAULT_LIMITS, ...(Object.fromEntries(defined) as Partial<Limits>) };
}

export class Inspector implements InspectorApi {
  readonly limits: Limits;
  private readonly log: EventLog;
  private readonly captures: CaptureStore;
  private readonly guard: SelfConnectGuard;
  private readonly targetPolicy: TargetPolicy;
  private readonly queues: QueueBudget;
  private readonly connections: RowTable<TrackedSocket>;
  private readonly listeners: RowTable<TrackedListener>;
  private readonly kernelView: KernelView;
  private readonly waits = new Set<() => void>();
  private readonly sends = new SendJobs();
  private readonly expects: Expecter;
  private readonly sessionTable: SessionRegistry;
  private nextConnection = 1;
  private nextListener = 1;
  private pendingListens = 0;
  private disposing: Promise<void> | null = null;

  constructor(opts: InspectorOptions = {}) {
    this.limits = mergeLimits(opts.limits);
    const warn = (err: unknown) => process.emitWarning(`sockscope: an event subscriber threw: ${String(err)}`);
    this.log = new EventLog(this.limits.eventLogEvents, this.limits.eventLogPayloadBytes, warn);
    const { capturePerConnectionBytes, captureTotalBytes, captureHeadBytes } = this.limits;
    this.captures = new CaptureStore(capturePerConnectionBytes, captureTotalBytes, captureHeadBytes);
    this.guard = new SelfConnectGuard(opts.forbiddenPorts);
    this.targetPolicy = new TargetPolicy(opts.targets);
    this.connections = new RowTable(this.limits.maxClosedRows, (t) => t.forget());
    this.queues = new QueueBudget(this.limits, () => this.connections.values());
    this.listeners = new RowTable(this.limits.maxClosedRows);
    this.kernelView = new KernelView(opts.kernel ?? {}, {
      liveTargets: () => this.liveTargets(),
      afterRead: () => {
        for (const t of this.connections.values()) t.checkQueue();
      },
    });
    this.expects = new Expecter({
      subscribe: (fn) => {
        const sub = this.log.subscribe(fn);
        return () => sub.unsubscribe();
      },
      refreshKernel: () => this.kernelView.refresh(),
      kernel: () => this.kernelView.availability,
    });
    this.sessionTable = new SessionRegistry({
      subscribe: (fn) => void this.log.subscribe(fn),
      abortConnection: (id) => this.connections.get(id)?.abort() ?? Promise.resolve(),
      finishConnection: (id) => {
        const t = this.connections.get(id);
        return t ? closeGracefully(t, GRACEFUL_CLOSE_MS) : Promise.resolve(false);
      },
      closeListener: (id) => this.stopListener(id),
    });
  }

  get kernel(): KernelAvailability {
    return this.kernelView.availability;
  }

  get pendingWaits(): number {
    return this.waits.size + this.expects.pending;
  }

  get targets(): TargetRule[] {
    return this.targetPolicy.rules;
  }

  // ---- connections ---------------------------------------------------------

  openConnection(body: OpenConnectionBody): ConnectionRow {
    if (this.disposing) throw inspectorDisposed();
    const target = checkConnectionBody(body);
    const session = this.sessionTable.admit(body.session);
    this.guard.assertAllowed(target.host, target.port);
    this.targetPolicy.assertAllowed(target.host);
    if (this.connections.live >= this.limits.maxConnections)
      throw limitReached('maxConnections', this.limits.maxConnections);
    // Names are judged in the connect, on the addresses they resolve to: the self-connect guard, then the target rules.
    const guarded = this.guard.lookupFor(target.host, target.port);
    const lookup = this.targetPolicy.lookupFor(target.host, target.port, guarded);
    const id = `c-${this.nextConnection++}`;
    const t = TrackedSocket.client(
      id,
      lookup ? { ...target, lookup } : target,
      resolveRetry(body.retry),
      body,
      this.captures.create(),
      this.socketHost,
    );
    if (session) t.joinSession(session);
    this.connections.add(id, t);
    t.start();
    return t.snapshot();
  }

  waitSettled(id: string, maxMs: number, signal?: AbortSignal): Promise<ConnectionRow> {
    return this.waitState(id, settled, maxMs, signal);
  }

  waitClosed(id: string, maxMs: number): Promise<ConnectionRow> {
    return this.waitState(id, isTerminal, maxMs);
  }

  /** The row once its state passes `done`, or as it is after maxMs or once the signal aborts (nobody waits any more). */
  private async waitState(
    id: string,
    done: (s: ConnectionRow['state']) => boolean,
    maxMs: number,
    signal?: AbortSignal,
  ): Promise<ConnectionRow> {
    const t = this.connection(id);
    if (done(t.state) || this.disposing || signal?.aborted) return t.snapshot();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        sub.unsubscribe();
        signal?.removeEventListener('abort', finish);
        this.waits.delete(finish);
        resolve(t.snapshot());
      };
      signal?.addEventListener('abort', finish);
      const sub = this.log.subscribe((e) => {
        if (e.type === 'socket/state' && e.id === id && done(e.to)) finish();
      });
      const timer = setTimeout(finish, Math.max(0, maxMs));
      this.waits.add(finish);
    });
  }

  getConnection(id: string): ConnectionRow {
    return this.connection(id).snapshot();
  }

  async send(id: string, body: SendBody): Promise<SendReply> {
    if (this.disposing) throw inspectorDisposed();
    return this.sends.send(this.connection(id), body, this.limits, this.queues);
  }

  sendOnListener(id: string): never {
    throw listenerSendError(this.listener(id).snapshot());
  }

  shutdown(id: string): ConnectionRow {
    return this.act(id, (t) => t.shutdown());
  }
  close(id: string): ConnectionRow {
    return this.act(id, (t) => t.close());
  }
  reset(id: string): ConnectionRow {
    return this.act(id, (t) => t.reset());
  }
  pause(id: string): ConnectionRow {
    return this.act(id, (t) => t.setPaused(true));
  }
  resume(id: string): ConnectionRow {
    return this.act(id, (t) => t.setPaused(false));
  }
  setOptions(id: string, opts: SocketOptionsBody): ConnectionRow {
    return this.act(id, (t) => t.setOptions(opts));
  }

  chunks(id: string, query: ChunksQuery): ChunksReply {
    const c = this.connection(id).capture;
    const page = c.list(query.since ?? 0, query.limit ?? DEFAULT_PAGE_LIMIT, query.direction);
    const { droppedBytes, droppedChunks, lastIndex } = c;
    return { id, ...page, droppedBytes, droppedChunks, gaps: c.gaps(), lastIndex };
  }

  // ---- listeners -----------------------------------------------------------

  async listen(body: OpenListenerBody): Promise<ListenerRow> {
    if (this.disposing) throw inspectorDisposed();
    const spec = checkListenerBody(body);
    const session = this.sessionTable.admit(body.session);
    if (this.listeners.live + this.pendingListens >= this.limits.maxListeners) {
      throw limitReached('maxListeners', this.limits.maxListeners);
    }
    this.pendingListens++;
    let listener: TrackedListener | undefined;
    try {
      await bindServer(spec, (server) => {
        if (this.disposing) throw inspectorDisposed();
        listener = new TrackedListener(`l-${this.nextListener++}`, server, spec, this.listenerHost);
        if (session) listener.joinSession(session);
        this.listeners.add(listener.id, listener);
        listener.announce();
      });
    } finally {
      this.pendingListens--;
    }
    return listener!.snapshot();
  }

  async closeListener(id: string, opts: { connections: 'keep' | 'close' }): Promise<ListenerRow> {
    const listener = this.listener(id);
    listener.close();
    if (opts.connections === 'close') {
      for (const t of this.connections.values()) {
        if (t.parent === id && !isTerminal(t.state)) t.close();
      }
    }
    return listener.snapshot();
  }

  setListenerOptions(id: string, opts: ListenerOptionsBody): ListenerRow {
    const listener = this.listener(id);
    if (opts.captureHeadBytes !== undefined) listener.setCaptureHeadBytes(opts.captureHeadBytes);
    return listener.snapshot();
  }

  getListener(id: string): ListenerRow {
    return this.listener(id).snapshot();
  }

  // ---- queries and stream --------------------------------------------------

  sockets(): Sockets {
    return {
      listeners: [...this.listeners.values()].map((l) => l.snapshot()),
      connections: [...this.connections.values()].map((t) => t.snapshot()),
    };
  }

  events(query: EventsQuery): EventsPage {
    return this.log.page(query);
  }

  refreshKernel(maxAgeMs?: number): Promise<void> {
    return this.kernelView.refresh(maxAgeMs);
  }

  hostSockets(query: HostSocketsQuery): Promise<HostSocketsReply> {
    return this.kernelView.hostSockets(query);
  }

  // ---- expect and sessions (backend/inspector/expect/, sessions.ts) ---------

  async expect(id: string, body: ExpectBody, signal?: AbortSignal): Promise<ExpectReply> {
    return this.expects.expect(this.connection(id), body, signal);
  }
  createSession(body: CreateSessionBody): Session {
    return this.sessionTable.create(body);
  }
  sessions(): SessionList {
    return this.sessionTable.list();
  }
  getSession(id: string): Session {
    return this.sessionTable.get(id);
  }
  sessionReport(id: string): SessionReport {
    return this.sessionTable.report(id);
  }
  closeSession(id: string, cleanup?: CleanupMode): Promise<ClosedSession> {
    return this.sessionTable.close(id, cleanup);
  }

  emitScenario(e: ScenarioEvent): void {
    if (this.disposing) return;
    this.emit(e);
  }

  subscribe(listener: (e: InspectorEvent) => void, since?: number): Subscription {
    const sub = this.log.subscribe(listener, since);
    const unwatch = this.disposing ? () => {} : this.kernelView.watch();
    const snapshot = {
      type: 'snapshot' as const,
      seq: sub.lastSeq,
      at: nowMicros(),
      sockets: this.sockets(),
      since: since ?? null,
      replay: sub.replay,
      lagged: sub.lagged,
      missed: sub.missed,
    };
    return {
      snapshot,
      unsubscribe: () => {
        sub.unsubscribe();
        unwatch();
      },
    };
  }

  dispose(): Promise<void> {
    this.disposing ??= this.teardown();
    return this.disposing;
  }

  // ---- internals -----------------------------------------------------------

  private async teardown(): Promise<void> {
    this.kernelView.stop();
    this.expects.dispose();
    for (const finish of [...this.waits]) finish();
    this.sends.stopAll('sockscope is shutting down');
    const done: Promise<void>[] = [];
    for (const t of this.connections.values()) if (!isTerminal(t.state)) done.push(t.abort());
    for (const l of this.listeners.values()) {
      l.close();
      done.push(l.closed);
    }
    let timer: NodeJS.Timeout | undefined;
    // Destroyed sockets always emit 'close'; the cap only guards shutdown against a Node surprise.
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)));
    await Promise.race([Promise.all(done), cap]);
    clearTimeout(timer);
    this.log.clearSubscribers();
  }

  private readonly emit = (e: UnsequencedEvent): void => {
    this.log.append(e);
    if (!KERNEL_EVENTS.has(e.type)) this.kernelView.wake();
  };

  private readonly socketHost = {
    emit: this.emit,
    maxQueuedBytes: () => this.limits.maxQueuedBytesPerConnection,
    totalQueueRoom: () => this.queues.room(),
    terminated: (t: TrackedSocket) => {
      this.connections.terminated(t.id);
      this.kernelView.closed(t);
    },
  };

  private readonly listenerHost = {
    emit: this.emit,
    adopt: (listener: TrackedListener, socket: net.Socket) => this.adopt(listener, socket),
    terminated: (l: TrackedListener) => {
      this.listeners.terminated(l.id);
      this.kernelView.closed(l);
    },
  };

  /** What the kernel view matches: listening listeners and connections not yet closed. */
  private *liveTargets(): Iterable<TrackedListener | TrackedSocket> {
    for (const l of this.listeners.values()) if (l.state === 'listening') yield l;
    for (const t of this.connections.values()) if (!isTerminal(t.state)) yield t;
  }

  private adopt(listener: TrackedListener, socket: net.Socket): void {
    socket.on('error', () => {}); // a dropped socket may still see an error while closing
    if (this.disposing || this.connections.live >= this.limits.maxConnections) {
      socket.resetAndDestroy();
      listener.countDropped();
      return;
    }
    listener.countAccepted();
    const id = `c-${this.nextConnection++}`;
    const capture = this.captures.create(listener.captureHeadBytes ?? undefined);
    const t = TrackedSocket.accepted(id, listener.id, socket, listener.accept, capture, this.socketHost);
    if (listener.session) t.joinSession(listener.session);
    listener.adopted(t);
    if (listener.closeOnPeerFin) t.closeOnPeerFin = true;
    this.connections.add(id, t);
    t.start();
  }

  /** Stops a listener now (a session closing); resolves once its server has closed. */
  private stopListener(id: string): Promise<void> {
    const l = this.listeners.get(id);
    if (!l) return Promise.resolve();
    l.close();
    return l.closed;
  }

  private act(id: string, action: (t: TrackedSocket) => void): ConnectionRow {
    const t = this.connection(id);
    action(t);
    return t.snapshot();
  }

  connection(id: string): TrackedSocket {
    const t = this.connections.get(id);
    if (!t) throw connectionNotFound(id);
    return t;
  }

  listener(id: string): TrackedListener {
    const l = this.listeners.get(id);
    if (!l) throw listenerNotFound(id);
    return l;
  }
}
