// One place for schema-complete rows in tests: a fresh client in `connecting` and a listening listener.
// Test files override what they care about, so a new row field is added here once.
import type { ConnectionRow, ListenerRow } from '../../shared';

export const T0 = 1_700_000_000_000_000;

export const listenerRow = (over: Partial<ListenerRow> = {}): ListenerRow => ({
  id: 'l-1',
  local: { address: '127.0.0.1', port: 4000 },
  family: 'IPv4',
  backlog: 511,
  accept: 'read',
  exposed: false,
  state: 'listening',
  accepted: 0,
  dropped: 0,
  createdAt: T0,
  closedAt: null,
  fault: null,
  tcpState: null,
  recvQ: null,
  sendQ: null,
  ...over,
});

export const connectionRow = (over: Partial<ConnectionRow> = {}): ConnectionRow => ({
  id: 'c-1',
  kind: 'client',
  parent: null,
  target: { address: '127.0.0.1', port: 4000 },
  local: null,
  remote: null,
  family: null,
  state: 'connecting',
  createdAt: T0,
  stateChangedAt: T0,
  closedAt: null,
  attempt: 1,
  attempts: 1,
  bytesIn: 0,
  bytesOut: 0,
  chunksIn: 0,
  chunksOut: 0,
  droppedBytes: 0,
  droppedChunks: 0,
  queuedBytes: 0,
  paused: false,
  noDelay: false,
  keepAlive: false,
  fault: null,
  tcpState: null,
  recvQ: null,
  sendQ: null,
  ...over,
});
