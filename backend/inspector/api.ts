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
  OpenConnectionBody,
  OpenListenerBody,
  SendReply,
  SnapshotFrame,
  Sockets,
  SocketOptionsBody,
  Encoding,
  HostSocketsQuery,
  HostSocketsReply,
  KernelAvailability,
} from '../../shared';
import type { KernelViewOptions } from '../kernel/kernel-view';

export interface InspectorOptions {
  limits?: Partial<Limits>;
  /** Ports (on any address) that connections must not target: sockscope's own HTTP port. */
  forbiddenPorts?: () => readonly number[];
  /** Where /proc is (tests point it at a missing directory), poll timing. */
  kernel?: KernelViewOptions;
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

  /** Returns the row at once, state `connecting`; attempts/faults/open follow as events. Throws LIMIT_REACHED, SELF_CONNECT, BAD_REQUEST. */
  openConnection(body: OpenConnectionBody): ConnectionRow;
  /** Resolves when the connection is open or terminal (closed/failed), or after maxMs with the row as it is. */
  waitSettled(id: string, maxMs: number): Promise<ConnectionRow>;
  /** Resolves once bound (row with the real port) or rejects with BIND_FAILED carrying the fault. */
  listen(body: OpenListenerBody): Promise<ListenerRow>;
  closeListener(id: string, opts: { connections: 'keep' | 'close' }): Promise<ListenerRow>;

  getConnection(id: string): ConnectionRow;
  getListener(id: string): ListenerRow;
  sockets(): Sockets;

  send(id: string, data: string, encoding: Encoding): SendReply;
  shutdown(id: string): ConnectionRow;
  close(id: string): ConnectionRow;
  reset(id: string): ConnectionRow;
  pause(id: string): ConnectionRow;
  resume(id: string): ConnectionRow;
  setOptions(id: string, opts: SocketOptionsBody): ConnectionRow;

  chunks(id: string, query: ChunksQuery): ChunksReply;
  events(query: EventsQuery): EventsPage;
  /**
   * Reads /proc/net/tcp* now (unless a read began in the last 50 ms) and updates the kernel fields of every row;
   * REST reads call it first so scripts see current truth. Resolves at once without a kernel view.
   */
  refreshKernel(): Promise<void>;
  /** Every TCP socket of the host (fresh read), filtered; sockscope's own marked. BAD_REQUEST for an unknown state. */
  hostSockets(query: HostSocketsQuery): Promise<HostSocketsReply>;

  /** Synchronous: the snapshot is consistent with the first event the listener receives. */
  subscribe(listener: (e: InspectorEvent) => void, since?: number): Subscription;

  /** Closes every socket and listener it owns (RST for connections) and stops timers. */
  dispose(): Promise<void>;
}
