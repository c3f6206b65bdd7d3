// The app's one REST client: the shared SockscopeClient on the page's own server (relative /api/... paths, authorised
// by the cookie the token URL set). Every reply is checked against its schema; failures throw SockscopeError.
import type { ConnectionRow, FramingRule, ListenerRow, RespondersBody, RespondersReply } from '../../shared';
import { SockscopeClient } from '../../shared/client';

export { SockscopeError, type SockscopeErrorCode } from '../../shared/client';

export const api = new SockscopeClient();

/** Rows that carry a framing rule and auto-responders; panes written for both kinds pass theirs. */
export type SocketKind = 'connections' | 'listeners';

/** Sets (or with null removes) the framing rule; the reply is the updated row. */
export const setFraming = (
  kind: SocketKind,
  id: string,
  framing: FramingRule | null,
): Promise<ConnectionRow | ListenerRow> =>
  kind === 'connections' ? api.setFraming(id, framing) : api.setListenerFraming(id, framing);

export const getResponders = (kind: SocketKind, id: string): Promise<RespondersReply> =>
  kind === 'connections' ? api.responders(id) : api.listenerResponders(id);

export const putResponders = (kind: SocketKind, id: string, body: RespondersBody): Promise<RespondersReply> =>
  kind === 'connections' ? api.setResponders(id, body) : api.setListenerResponders(id, body);
