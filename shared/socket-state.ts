// The app-level state machines. The kernel's TCP state (ESTABLISHED, TIME_WAIT...) is separate and never derived from these.
import { Type, type Static } from 'typebox';

export const ConnectionStateSchema = Type.Union([
  Type.Literal('connecting'),
  Type.Literal('open'),
  Type.Literal('half-closed-local'),
  Type.Literal('half-closed-remote'),
  Type.Literal('closed'),
  Type.Literal('failed'),
]);
export type ConnectionState = Static<typeof ConnectionStateSchema>;

export const ListenerStateSchema = Type.Union([
  Type.Literal('listening'),
  Type.Literal('closed'),
  Type.Literal('failed'),
]);
export type ListenerState = Static<typeof ListenerStateSchema>;

const CONNECTION_TRANSITIONS: Record<ConnectionState, readonly ConnectionState[]> = {
  connecting: ['open', 'closed', 'failed'],
  open: ['half-closed-local', 'half-closed-remote', 'closed', 'failed'],
  'half-closed-local': ['closed', 'failed'],
  'half-closed-remote': ['closed', 'failed'],
  closed: [],
  failed: [],
};

const LISTENER_TRANSITIONS: Record<ListenerState, readonly ListenerState[]> = {
  listening: ['closed', 'failed'],
  closed: [],
  failed: [],
};

export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return CONNECTION_TRANSITIONS[from].includes(to);
}

export function canListenerTransition(from: ListenerState, to: ListenerState): boolean {
  return LISTENER_TRANSITIONS[from].includes(to);
}

export const isTerminal = (s: ConnectionState): boolean => s === 'closed' || s === 'failed';

/** Whether the user may still write: a local FIN (shutdown) ends our direction, a peer FIN does not. */
export const isWritable = (s: ConnectionState): boolean => s === 'open' || s === 'half-closed-remote';
