// Typed fetch of the REST API; every reply is checked, and failures throw ApiRequestError with the API's code.
import { Compile } from 'typebox/compile';
import {
  ApiErrorSchema,
  ChunksReplySchema,
  ConnectionRowSchema,
  ErrnoReplySchema,
  EventsPageSchema,
  HealthReplySchema,
  HostSocketsReplySchema,
  InfoReplySchema,
  ListenerRowSchema,
  MessagesReplySchema,
  RespondersReplySchema,
  SendReplySchema,
  SocketsSchema,
  type ApiError,
  type ApiErrorCode,
  type ChunksQuery,
  type ChunksReply,
  type ConnectionRow,
  type Encoding,
  type ErrnoReply,
  type HostSocketsQuery,
  type HostSocketsReply,
  type EventsPage,
  type EventsQuery,
  type InfoReply,
  type ListenerRow,
  type FramingRule,
  type MessagesQuery,
  type MessagesReply,
  type PayloadEncoding,
  type RespondersBody,
  type RespondersReply,
  type OpenConnectionBody,
  type OpenListenerBody,
  type SendReply,
  type SendRepeat,
  type SendSplit,
  type Sockets,
  type SocketOptionsBody,
} from '../../shared';
import type { Static } from 'typebox';
import { SessionListSchema, type SessionList } from '../../shared';
import {
  LabDetailSchema,
  LabListSchema,
  RunResultSchema,
  type LabDetail,
  type LabList,
  type RunResult,
} from '../../shared';

/** The API's own codes, plus NETWORK (no reply at all) and BAD_REPLY (a reply that breaks the contract). */
export type RequestErrorCode = ApiErrorCode | 'NETWORK' | 'BAD_REPLY';

export class ApiRequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    readonly status: number | null,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

const socketsReply = Compile(SocketsSchema);
const connectionReply = Compile(ConnectionRowSchema);
const listenerReply = Compile(ListenerRowSchema);
const sendReply = Compile(SendReplySchema);
const chunksReply = Compile(ChunksReplySchema);
const eventsReply = Compile(EventsPageSchema);
const errnoReply = Compile(ErrnoReplySchema);
const infoReply = Compile(InfoReplySchema);
const healthReply = Compile(HealthReplySchema);
const hostSocketsReply = Compile(HostSocketsReplySchema);
const messagesReply = Compile(MessagesReplySchema);
const respondersReply = Compile(RespondersReplySchema);
const apiError = Compile(ApiErrorSchema);

interface Checker<T> {
  Check(x: unknown): x is T;
}

async function request<T>(method: string, path: string, reply: Checker<T>, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiRequestError('NETWORK', null, `${method} ${path}: ${(e as Error).message}`);
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    if (apiError.Check(json)) throw new ApiRequestError(json.error.code, res.status, json.error.message, json);
    throw new ApiRequestError(
      'BAD_REPLY',
      res.status,
      `${method} ${path}: HTTP ${res.status} without an ApiError body`,
      json,
    );
  }
  if (!reply.Check(json))
    throw new ApiRequestError('BAD_REPLY', res.status, `${method} ${path}: reply does not match its schema`, json);
  return json;
}

export const getSockets = (): Promise<Sockets> => request('GET', '/api/sockets', socketsReply);
export const getHealth = (): Promise<Static<typeof HealthReplySchema>> => request('GET', '/api/health', healthReply);

export const getInfo = (): Promise<InfoReply> => request('GET', '/api/info', infoReply);
export const getErrno = (code: string): Promise<ErrnoReply> =>
  request('GET', `/api/errno/${encodeURIComponent(code)}`, errnoReply);

export const openListener = (body: OpenListenerBody): Promise<ListenerRow> =>
  request('POST', '/api/listeners', listenerReply, body);
export const closeListener = (id: string, connections: 'keep' | 'close' = 'keep'): Promise<ListenerRow> =>
  request('DELETE', `/api/listeners/${id}?connections=${connections}`, listenerReply);

export const openConnection = (body: OpenConnectionBody): Promise<ConnectionRow> =>
  request('POST', '/api/connections', connectionReply, body);
export const getConnection = (id: string): Promise<ConnectionRow> =>
  request('GET', `/api/connections/${id}`, connectionReply);
/** One send call; split and repeat make it several writes, so the reply may come seconds later. */
export const send = (
  id: string,
  data: string,
  encoding: Encoding | PayloadEncoding,
  framing?: FramingRule,
  plan: { split?: SendSplit; repeat?: SendRepeat } = {},
): Promise<SendReply> =>
  request('POST', `/api/connections/${id}/send`, sendReply, {
    data,
    encoding,
    ...(framing && { framing }),
    ...(plan.split && { split: plan.split }),
    ...(plan.repeat && { repeat: plan.repeat }),
  });

/** Rows that carry a framing rule and auto-responders. */
export type SocketKind = 'connections' | 'listeners';

/** Sets (or with null removes) the framing rule; the reply is the updated row (no event announces it). */
export function setFraming(kind: 'connections', id: string, framing: FramingRule | null): Promise<ConnectionRow>;
export function setFraming(kind: 'listeners', id: string, framing: FramingRule | null): Promise<ListenerRow>;
export function setFraming(
  kind: SocketKind,
  id: string,
  framing: FramingRule | null,
): Promise<ConnectionRow | ListenerRow>;
export function setFraming(
  kind: SocketKind,
  id: string,
  framing: FramingRule | null,
): Promise<ConnectionRow | ListenerRow> {
  return kind === 'connections'
    ? request('PUT', `/api/connections/${id}/framing`, connectionReply, { framing })
    : request('PUT', `/api/listeners/${id}/framing`, listenerReply, { framing });
}

export const getResponders = (kind: SocketKind, id: string): Promise<RespondersReply> =>
  request('GET', `/api/${kind}/${id}/responders`, respondersReply);
export const putResponders = (kind: SocketKind, id: string, body: RespondersBody): Promise<RespondersReply> =>
  request('PUT', `/api/${kind}/${id}/responders`, respondersReply, body);

export type ConnectionAction = 'shutdown' | 'close' | 'reset' | 'pause' | 'resume';
export const act = (id: string, action: ConnectionAction): Promise<ConnectionRow> =>
  request('POST', `/api/connections/${id}/${action}`, connectionReply);
export const setOptions = (id: string, body: SocketOptionsBody): Promise<ConnectionRow> =>
  request('POST', `/api/connections/${id}/options`, connectionReply, body);

const query = (q: Record<string, string | number | undefined>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
export const getChunks = (id: string, q: ChunksQuery = {}): Promise<ChunksReply> =>
  request('GET', `/api/connections/${id}/chunks${query(q)}`, chunksReply);
export const getMessages = (id: string, q: MessagesQuery = {}): Promise<MessagesReply> =>
  request('GET', `/api/connections/${id}/messages${query(q)}`, messagesReply);
export const getEvents = (q: EventsQuery = {}): Promise<EventsPage> =>
  request('GET', `/api/events${query(q)}`, eventsReply);
/** Every TCP socket on the host, like `ss -tan`; `kernel.available` false (and no sockets) where there is no /proc. */
export const getHostSockets = (q: HostSocketsQuery = {}): Promise<HostSocketsReply> =>
  request('GET', `/api/host/sockets${query(q)}`, hostSocketsReply);

/** The field an ApiError names, if any: forms show the message next to that field. */
export const errorField = (e: unknown): string | null =>
  e instanceof ApiRequestError ? ((e.body as ApiError | null)?.error?.field ?? null) : null;

const sessionList = Compile(SessionListSchema);
/** Every session the backend keeps (the table's session filter shows their names). */
export const listSessions = (): Promise<SessionList> => request('GET', '/api/sessions', sessionList);

const labList = Compile(LabListSchema);
const labDetail = Compile(LabDetailSchema);
const runResult = Compile(RunResultSchema);
/** The built-in labs: each a classic socket mistake with its explanation and fix. */
export const listLabs = (): Promise<LabList> => request('GET', '/api/lab', labList);
/** One lab with its scenario file (YAML). */
export const getLab = (name: string): Promise<LabDetail> =>
  request('GET', `/api/lab/${encodeURIComponent(name)}`, labDetail);
/** Runs a lab; answers once the run is over (steps stream meanwhile as scenario events). */
export const runLab = (name: string, keep = false): Promise<RunResult> =>
  request('POST', `/api/lab/${encodeURIComponent(name)}/run`, runResult, keep ? { keep } : {});
