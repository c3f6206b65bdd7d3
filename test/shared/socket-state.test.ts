import { describe, expect, it } from 'vitest';
import {
  ConnectionStateSchema,
  ListenerStateSchema,
  canListenerTransition,
  canTransition,
  isTerminal,
  isWritable,
  type ConnectionState,
  type ListenerState,
} from '../../shared';

const connectionStates = ConnectionStateSchema.anyOf.map((s) => s.const) as ConnectionState[];
const listenerStates = ListenerStateSchema.anyOf.map((s) => s.const) as ListenerState[];

const legal: [ConnectionState, ConnectionState][] = [
  ['connecting', 'open'],
  ['connecting', 'closed'],
  ['connecting', 'failed'],
  ['open', 'half-closed-local'],
  ['open', 'half-closed-remote'],
  ['open', 'closed'],
  ['open', 'failed'],
  ['half-closed-local', 'closed'],
  ['half-closed-local', 'failed'],
  ['half-closed-remote', 'closed'],
  ['half-closed-remote', 'failed'],
];
const isLegal = (from: ConnectionState, to: ConnectionState) => legal.some(([f, t]) => f === from && t === to);

describe('connection states', () => {
  it('lists the six states', () => {
    expect(connectionStates.sort()).toEqual(
      ['closed', 'connecting', 'failed', 'half-closed-local', 'half-closed-remote', 'open'].sort(),
    );
  });

  it.each(legal)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('refuses every other pair, self-transitions included', () => {
    for (const from of connectionStates) {
      for (const to of connectionStates) {
        if (!isLegal(from, to)) expect(canTransition(from, to), `${from} -> ${to}`).toBe(false);
      }
    }
    expect(canTransition('half-closed-local', 'half-closed-remote')).toBe(false);
    expect(canTransition('half-closed-remote', 'open')).toBe(false);
    expect(canTransition('connecting', 'half-closed-remote')).toBe(false);
  });

  it('treats closed and failed as terminal, with no way out', () => {
    for (const s of connectionStates) {
      expect(isTerminal(s), s).toBe(s === 'closed' || s === 'failed');
      if (isTerminal(s)) for (const to of connectionStates) expect(canTransition(s, to)).toBe(false);
    }
  });

  it('is writable while open or after a peer FIN, not after our own shutdown', () => {
    expect(connectionStates.filter(isWritable).sort()).toEqual(['half-closed-remote', 'open']);
  });
});

describe('listener states', () => {
  it('goes from listening to closed or failed, and nowhere after', () => {
    expect(canListenerTransition('listening', 'closed')).toBe(true);
    expect(canListenerTransition('listening', 'failed')).toBe(true);
    expect(canListenerTransition('listening', 'listening')).toBe(false);
    for (const from of ['closed', 'failed'] as const) {
      for (const to of listenerStates) expect(canListenerTransition(from, to), `${from} -> ${to}`).toBe(false);
    }
  });
});
