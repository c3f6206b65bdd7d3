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
} from '../../shared';

export interface InspectorOptions {
  limits?: Partial<Limits>;
  /** Ports (on any address) that connections must not target: sockscope's own HTTP port. */
  forbiddenPorts?: () => readonly number[];
}

export interface Subscription {
  /** Snapshot taken at subscribe time, plus the replay after `since` when given. */
  readonly snapshot: SnapshotFrame;
  unsubscribe(): void;
}

export interface InspectorApi {
  readonly limits: Limits;

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
  /** Synchronous: the snapshot is consistent with the first event the listener receives. */
  subscribe(listener: (e: InspectorEvent) => void, since?: number): Subscription;

  /** Closes every socket and listener it owns (RST for connections) and stops timers. */
  dispose(): Promise<void>;
}
