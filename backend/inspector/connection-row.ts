// A connection row's blank shape and the endpoints Node reports for a socket.
import type net from 'node:net';
import type { ConnectionRow, ConnectionState, Endpoint, Family, RespondersSummary } from '../../shared';
import { nowMicros } from './clock';

export interface Endpoints {
  local: Endpoint | null;
  remote: Endpoint | null;
  family: Family | null;
}

export function endpointsOf(socket: net.Socket): Endpoints {
  const local =
    socket.localAddress && socket.localPort !== undefined
      ? { address: socket.localAddress, port: socket.localPort }
      : null;
  const remote =
    socket.remoteAddress && socket.remotePort !== undefined
      ? { address: socket.remoteAddress, port: socket.remotePort }
      : null;
  const family = socket.remoteFamily === 'IPv4' || socket.remoteFamily === 'IPv6' ? socket.remoteFamily : null;
  return { local, remote, family };
}

export function newRow(id: string, kind: ConnectionRow['kind'], state: ConnectionState): ConnectionRow {
  const now = nowMicros();
  return {
    id,
    kind,
    parent: null,
    target: null,
    local: null,
    remote: null,
    family: null,
    state,
    createdAt: now,
    stateChangedAt: now,
    closedAt: null,
    attempt: 0,
    attempts: 0,
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
  };
}

/** Row fields a feature fills in when plugged (backend/inspector/plugs.ts): what a row says without it. */
export function featureDefaults(): {
  framing: null;
  framingError: null;
  responders: RespondersSummary;
} {
  return { framing: null, framingError: null, responders: { mode: 'off', rules: 0 } };
}
