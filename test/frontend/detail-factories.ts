// Event, row and chunk factories for the detail pane's tests; every event is checked against the shared schema.
import { expect } from 'vitest';
import {
  bytesToBase64,
  encodeUtf8,
  parseEvent,
  type Chunk,
  type ConnectionRow,
  type Fault,
  type InspectorEvent,
} from '../../shared';
import { connectionRow } from '../helpers/rows';

export const T0 = 1_700_000_000_000_000;

export const conn = (over: Partial<ConnectionRow> = {}): ConnectionRow =>
  connectionRow({
    local: { address: '127.0.0.1', port: 50000 },
    remote: { address: '127.0.0.1', port: 4000 },
    family: 'IPv4',
    state: 'open',
    ...over,
  });

export const checked = <E extends InspectorEvent>(e: E): E => {
  const r = parseEvent(e);
  expect(r.ok, r.ok ? '' : r.error).toBe(true);
  return e;
};

export const opened = (seq: number, id = 'c-1') =>
  checked({
    type: 'socket/opened',
    seq,
    at: T0,
    id,
    connection: conn({ id, state: 'connecting', local: null, remote: null }),
  });

export const state = (
  seq: number,
  from: ConnectionRow['state'],
  to: ConnectionRow['state'],
  id = 'c-1',
  cause = 'connect',
) => checked({ type: 'socket/state', seq, at: T0 + seq * 1000, id, from, to, cause });

export const fault = (code = 'ECONNREFUSED', errno: number | null = 111): Fault => ({
  code,
  errno,
  syscall: 'connect',
  address: '127.0.0.1',
  port: 4000,
  message: `connect ${code} 127.0.0.1:4000`,
  state: 'connecting',
  at: T0,
  explanation: { title: 'Connection refused', cause: 'Nothing listens there.', fix: 'Start the server.' },
});

export const faultEvent = (seq: number, attempt = 1, retryInMs: number | null = null, id = 'c-1') =>
  checked({ type: 'socket/fault', seq, at: T0 + seq * 1000, id, fault: fault(), attempt, retryInMs });

export const attemptEvent = (seq: number, attempt: number, attempts: number, id = 'c-1') =>
  checked({ type: 'socket/attempt', seq, at: T0 + seq * 1000, id, attempt, attempts, host: '127.0.0.1', port: 4000 });

/** Chunk `index` carrying `text`; offsets are not tracked by the factory (tests that care pass `offset`). */
export const chunk = (index: number, text: string, direction: Chunk['direction'] = 'in', offset = 0): Chunk => {
  const bytes = encodeUtf8(text);
  return { index, direction, at: T0 + index * 1000, offset, length: bytes.length, data: bytesToBase64(bytes) };
};

export const data = (seq: number, c: Chunk, opts: { truncated?: boolean; id?: string; at?: number } = {}) =>
  checked({
    type: 'socket/data',
    seq,
    at: opts.at ?? c.at,
    id: opts.id ?? 'c-1',
    direction: c.direction,
    index: c.index,
    offset: c.offset,
    length: c.length,
    data: opts.truncated ? '' : c.data,
    truncated: opts.truncated ?? false,
  });
