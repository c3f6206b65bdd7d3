// The inspector's public surface. It knows nothing of HTTP; backend/http calls exactly these.
import type {
  ChunksQuery,
  ChunksReply,
  ConnectionRow,
  EventsPage,
  EventsQuery,
  InspectorEvent,
  Limits,
  ListenerRow,
  ListenerOptionsBody,
  OpenConnectionBody,
  OpenListenerBody,
  SendReply,
  SnapshotFrame,
  Sockets,
  SocketOptionsBody,
  HostSocketsQuery,
  HostSocketsReply,
  KernelAvailability,
  SendBody,
  ExpectBody,
  ExpectReply,
  CreateSessionBody,
  Session,
  SessionList,
  SessionReport,
  ScenarioEvent,
  TargetRule,
  CleanupMode,
} from '../../shared';
import type { KernelViewOptions } from '../kernel/kernel-view';
import type { ClosedSession } from '../sessions/session-record';
import type { TrackedListener } from './tracked-listener';
import type { TrackedSocket } from './tracked-socket';

export interface InspectorOptions {
  limits?: Partial<Limits>;
  /** Ports (on any address) that connections must not target: sockscope's own HTTP port. */
  forbiddenPorts?: () => readonly number[];
  /** Where /proc is (tests point it at a missing directory), poll timing. */
  kernel?: KernelViewOptions;
  /** CIDR rules for connection targets on top of the default deny list (precedence: target-policy.ts). Throws if malformed. */
  targets?: { allow?: string[]; deny?: string[] };
}

export interface Subscription {
  /** Snapshot taken at subscribe time, plus the replay after `since` when given. */
  readonly snapshot: SnapshotFrame;
  unsubscribe(): void;
}

export interface InspectorApi {
  readonly limits: Limits;
  /** Whether rows get tcpState / recvQ / sendQ from /proc/net/tcp*, and why not. */
  readonly kernel: KernelAvailability;
  /** The connection target rules in the order they apply (user deny, user allow, default deny). */
  readonly targets: TargetRule[];

  /** Returns the row at once, state `connecting`; attempts/faults/open follow as events. Throws LIMIT_REACHED, SELF_CONNECT, TARGET_DENIED, BAD_REQUEST. */
  openConnection(body: OpenConnectionBody): ConnectionRow;
  /** Resolves when the connection is open or terminal (closed/failed), or after maxMs (or an abort) with the row as it is. */
  waitSettled(id: string, maxMs: number, signal?: AbortSignal): Promise<ConnectionRow>;
  /** The row once closed or failed, or as it is after maxMs (a close still flushing to a slow reader). */
  waitClosed(id: string, maxMs: number): Promise<ConnectionRow>;
  /** Resolves once bound (row with the real port) or rejects with BIND_FAILED carrying the fault. */
  listen(body: OpenListenerBody): Promise<ListenerRow>;
  closeListener(id: string, opts: { connections: 'keep' | 'close' }): Promise<ListenerRow>;

  getConnection(id: string): ConnectionRow;
  getListener(id: string): ListenerRow;
  sockets(): Sockets;

  /**
   * Decodes the payload (nothing is written when that fails), frames it when a rule is given, then makes the writes the
   * split/repeat plan asks for; resolves when the last write was handed to the socket (or the plan stopped early).
   */
  send(id: string, body: SendBody): Promise<SendReply>;
  /** A listener has no peer: always rejects with NOT_CONNECTED carrying an ENOTCONN fault and its explanation. */
  sendOnListener(id: string): never;
  shutdown(id: string): ConnectionRow;
  close(id: string): ConnectionRow;
  reset(id: string): ConnectionRow;
  pause(id: string): ConnectionRow;
  resume(id: string): ConnectionRow;
  setOptions(id: string, opts: SocketOptionsBody): ConnectionRow;

  chunks(id: string, query: ChunksQuery): ChunksReply;

  /** Options given to connections this listener accepts from now on (captureHeadBytes). */
  setListenerOptions(id: string, opts: ListenerOptionsBody): ListenerRow;
  events(query: EventsQuery): EventsPage;

  /** Resolves when the condition holds (what matched, where); rejects with EXPECT_TIMEOUT (408, `seen`) after timeoutMs, or with the signal's reason once it aborts. */
  expect(id: string, body: ExpectBody, signal?: AbortSignal): Promise<ExpectReply>;
  /** Waits (waitSettled, waitClosed) and expects not answered yet: each holds a subscription and a timer. */
  readonly pendingWaits: number;

  createSession(body: CreateSessionBody): Session;
  sessions(): SessionList;
  getSession(id: string): Session;
  sessionReport(id: string): SessionReport;
  /**
   * Closes the session's listeners and ends its connections, `reset` (the default, DELETE /api/sessions/:id) with an
   * RST, `close` (a scenario run's cleanup) with a FIN, then up to GRACEFUL_CLOSE_MS for the peer's (`released`: the
   * ones whose peer had not closed by then); resolves with the final report once all are closed.
   */
  closeSession(id: string, cleanup?: CleanupMode): Promise<ClosedSession>;

  /** Scenario runs report their progress through the same event log (the UI and /api/stream see them). */
  emitScenario(e: ScenarioEvent): void;
  /**
   * Reads /proc/net/tcp* now (unless a read began in the last maxAgeMs, default 50) and updates the kernel fields of
   * every row; REST reads call it first so scripts see current truth, scenario asserts with 0 (a read begun after the
   * call). Resolves at once without a kernel view.
   */
  refreshKernel(maxAgeMs?: number): Promise<void>;
  /** Every TCP socket of the host (fresh read), filtered; sockscope's own marked. BAD_REQUEST for an unknown state. */
  hostSockets(query: HostSocketsQuery): Promise<HostSocketsReply>;

  /**
   * For features (backend/framing, backend/responders...): the live connection or listener to plug into or act on.
   * Throws CONNECTION_NOT_FOUND / LISTENER_NOT_FOUND as the REST calls do.
   */
  connection(id: string): TrackedSocket;
  listener(id: string): TrackedListener;

  /** Synchronous: the snapshot is consistent with the first event the listener receives. */
  subscribe(listener: (e: InspectorEvent) => void, since?: number): Subscription;

  /** Closes every socket and listener it owns (RST for connections) and stops timers. */
  dispose(): Promise<void>;
}
