// SockscopeClient: the REST API as typed methods, for scripts (Node 20 fetch), the CLI and browsers.
import {
  ChunksReplySchema,
  ConnectionRowSchema,
  ErrnoReplySchema,
  EventsPageSchema,
  ExpectReplySchema,
  HealthReplySchema,
  HostSocketsReplySchema,
  InfoReplySchema,
  LabDetailSchema,
  LabListSchema,
  ListenerRowSchema,
  MessagesReplySchema,
  RespondersReplySchema,
  RunResultSchema,
  ScenarioCheckReplySchema,
  SendReplySchema,
  SessionListSchema,
  SessionReportSchema,
  SessionSchema,
  SocketsSchema,
  type ChunksQuery,
  type CleanupMode,
  type ConnectionAction,
  type EventsQuery,
  type ExpectBody,
  type FramingRule,
  type HostSocketsQuery,
  type MessagesQuery,
  type OpenConnectionBody,
  type OpenListenerBody,
  type RespondersBody,
  type RunScenarioBody,
  type SendBody,
  type SocketOptionsBody,
} from '../index';
import { Transport, queryString, type TransportOptions } from './transport';

export type ClientOptions = TransportOptions;
export type { ConnectionAction };

const id = (s: string): string => encodeURIComponent(s);

export class SockscopeClient {
  private readonly http: Transport;

  /** No options: the page's own server, authorised by its cookie (the UI sockscope serves). */
  constructor(opts: ClientOptions = {}) {
    this.http = new Transport(opts);
  }

  /** The server's base URL, without the token; '' for the page's own server. */
  get url(): string {
    return this.http.baseUrl;
  }

  // ---- meta ----
  health = () => this.http.request('GET', '/api/health', HealthReplySchema);
  info = () => this.http.request('GET', '/api/info', InfoReplySchema);
  sockets = () => this.http.request('GET', '/api/sockets', SocketsSchema);
  events = (q: EventsQuery = {}) => this.http.request('GET', `/api/events${queryString(q)}`, EventsPageSchema);
  errno = (code: string) => this.http.request('GET', `/api/errno/${id(code)}`, ErrnoReplySchema);
  hostSockets = (q: HostSocketsQuery = {}) =>
    this.http.request('GET', `/api/host/sockets${queryString(q)}`, HostSocketsReplySchema);

  // ---- listeners ----
  listen = (body: OpenListenerBody) => this.http.request('POST', '/api/listeners', ListenerRowSchema, body);
  listener = (listenerId: string) => this.http.request('GET', `/api/listeners/${id(listenerId)}`, ListenerRowSchema);
  closeListener = (listenerId: string, opts: { connections?: 'keep' | 'close' } = {}) =>
    this.http.request('DELETE', `/api/listeners/${id(listenerId)}${queryString(opts)}`, ListenerRowSchema);
  setListenerFraming = (listenerId: string, framing: FramingRule | null) =>
    this.http.request('PUT', `/api/listeners/${id(listenerId)}/framing`, ListenerRowSchema, { framing });
  setListenerResponders = (listenerId: string, body: RespondersBody) =>
    this.http.request('PUT', `/api/listeners/${id(listenerId)}/responders`, RespondersReplySchema, body);
  listenerResponders = (listenerId: string) =>
    this.http.request('GET', `/api/listeners/${id(listenerId)}/responders`, RespondersReplySchema);

  // ---- connections ----
  /** Dials; with `wait: true` the answer comes once the connection is open or failed (else at once, `connecting`). */
  connect = (body: OpenConnectionBody, opts: { wait?: boolean } = {}) =>
    this.http.request('POST', `/api/connections${opts.wait ? '?wait=1' : ''}`, ConnectionRowSchema, body);
  connection = (connectionId: string) =>
    this.http.request('GET', `/api/connections/${id(connectionId)}`, ConnectionRowSchema);
  /** A string is sent as UTF-8; a SendBody may give encoding, framing, split and repeat. */
  send = (connectionId: string, body: SendBody | string) =>
    this.http.request(
      'POST',
      `/api/connections/${id(connectionId)}/send`,
      SendReplySchema,
      typeof body === 'string' ? { data: body } : body,
    );
  action = (connectionId: string, action: ConnectionAction) =>
    this.http.request('POST', `/api/connections/${id(connectionId)}/${action}`, ConnectionRowSchema);
  shutdown = (connectionId: string) => this.action(connectionId, 'shutdown');
  close = (connectionId: string) => this.action(connectionId, 'close');
  reset = (connectionId: string) => this.action(connectionId, 'reset');
  pause = (connectionId: string) => this.action(connectionId, 'pause');
  resume = (connectionId: string) => this.action(connectionId, 'resume');
  setOptions = (connectionId: string, body: SocketOptionsBody) =>
    this.http.request('POST', `/api/connections/${id(connectionId)}/options`, ConnectionRowSchema, body);
  /** Resolves when the condition holds; throws SockscopeError EXPECT_TIMEOUT (with `seen`) when it does not in time. */
  expect = (connectionId: string, body: ExpectBody) =>
    this.http.request('POST', `/api/connections/${id(connectionId)}/expect`, ExpectReplySchema, body);
  setFraming = (connectionId: string, framing: FramingRule | null) =>
    this.http.request('PUT', `/api/connections/${id(connectionId)}/framing`, ConnectionRowSchema, { framing });
  messages = (connectionId: string, q: MessagesQuery = {}) =>
    this.http.request('GET', `/api/connections/${id(connectionId)}/messages${queryString(q)}`, MessagesReplySchema);
  chunks = (connectionId: string, q: ChunksQuery = {}) =>
    this.http.request('GET', `/api/connections/${id(connectionId)}/chunks${queryString(q)}`, ChunksReplySchema);
  setResponders = (connectionId: string, body: RespondersBody) =>
    this.http.request('PUT', `/api/connections/${id(connectionId)}/responders`, RespondersReplySchema, body);
  responders = (connectionId: string) =>
    this.http.request('GET', `/api/connections/${id(connectionId)}/responders`, RespondersReplySchema);

  // ---- sessions ----
  createSession = (name: string) => this.http.request('POST', '/api/sessions', SessionSchema, { name });
  sessions = () => this.http.request('GET', '/api/sessions', SessionListSchema);
  session = (sessionId: string) => this.http.request('GET', `/api/sessions/${id(sessionId)}`, SessionSchema);
  sessionReport = (sessionId: string) =>
    this.http.request('GET', `/api/sessions/${id(sessionId)}/report`, SessionReportSchema);
  /** Resets the session's connections and closes its listeners; the final report. */
  closeSession = (sessionId: string) =>
    this.http.request('DELETE', `/api/sessions/${id(sessionId)}`, SessionReportSchema);

  // ---- scenarios and the lab ----
  /** Every error of the file, without running it. */
  validateScenario = (body: Pick<RunScenarioBody, 'scenario' | 'source'>) =>
    this.http.request('POST', '/api/scenarios/validate', ScenarioCheckReplySchema, body);
  /** Answers when the run ends, passed or failed; BAD_SCENARIO (field = first error path) for an invalid file. */
  runScenario = (body: RunScenarioBody, opts: { signal?: AbortSignal } = {}) =>
    this.http.request('POST', '/api/scenarios/run', RunResultSchema, body, opts.signal);
  labs = () => this.http.request('GET', '/api/lab', LabListSchema);
  lab = (name: string) => this.http.request('GET', `/api/lab/${id(name)}`, LabDetailSchema);
  runLab = (name: string, opts: { keep?: boolean; cleanup?: CleanupMode; signal?: AbortSignal } = {}) => {
    const { keep, cleanup } = opts;
    const body = { ...(keep === undefined ? {} : { keep }), ...(cleanup === undefined ? {} : { cleanup }) };
    const given = Object.keys(body).length > 0 ? body : undefined;
    return this.http.request('POST', `/api/lab/${id(name)}/run`, RunResultSchema, given, opts.signal);
  };
}
