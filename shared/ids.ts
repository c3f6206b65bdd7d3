// Ids are minted by the backend only; the brand keeps a listener id from being used as a connection id.
import { Type } from 'typebox';

export type ConnectionId = string & { readonly __brand: 'ConnectionId' };
export type ListenerId = string & { readonly __brand: 'ListenerId' };

export const ConnectionIdSchema = Type.String({ pattern: '^c-[0-9]+$', description: 'Connection id, e.g. c-17' });
export const ListenerIdSchema = Type.String({ pattern: '^l-[0-9]+$', description: 'Listener id, e.g. l-3' });

export const isConnectionId = (s: string): s is ConnectionId => /^c-[0-9]+$/.test(s);
export const isListenerId = (s: string): s is ListenerId => /^l-[0-9]+$/.test(s);
