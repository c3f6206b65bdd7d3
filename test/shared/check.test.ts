import { describe, expect, it } from 'vitest';
import {
  InspectorEventSchema,
  parseEvent,
  parseFrame,
  parseSnapshot,
  type ConnectionRow,
  type Fault,
  type ListenerRow,
} from '../../shared';
import { connectionRow, listenerRow } from '../helpers/rows';

const at = 1_700_000_000_000_000;
const fault = (): Fault => ({
  code: 'ECONNREFUSED',
  errno: 111,
  syscall: 'connect',
  address: '127.0.0.1',
  port: 9,
  message: 'connect ECONNREFUSED 127.0.0.1:9',
  state: 'connecting',
  at,
  explanation: { title: 'Connection refused', cause: 'c', fix: 'f' },
});
const listener = (): ListenerRow => listenerRow({ createdAt: at });
const connection = (): ConnectionRow => connectionRow({ createdAt: at, stateChangedAt: at });

/** One valid example of every event type; the test below checks none is missing. */
const events: Record<string, Record<string, unknown>> = {
  'listener/opened': { id: 'l-1', listener: listener() },
  'listener/state': { id: 'l-1', from: 'listening', to: 'closed' },
  'listener/fault': { id: 'l-1', fault: { ...fault(), code: 'EADDRINUSE', errno: 98, syscall: 'listen' } },
  'listener/closed': { id: 'l-1', listener: { ...listener(), state: 'closed', closedAt: at } },
  'socket/opened': { id: 'c-1', connection: connection() },
  'socket/attempt': { id: 'c-1', attempt: 1, attempts: 3, host: 'localhost', port: 4000 },
  'socket/state': {
    id: 'c-1',
    from: 'connecting',
    to: 'open',
    cause: 'connect',
    local: { address: '127.0.0.1', port: 50000 },
    remote: { address: '127.0.0.1', port: 4000 },
    family: 'IPv4',
  },
  'socket/data': { id: 'c-1', direction: 'in', index: 1, offset: 0, length: 2, data: 'SGk=', truncated: false },
  'socket/fault': { id: 'c-1', fault: fault(), attempt: 1, retryInMs: null },
  'socket/flow': { id: 'c-1', paused: true },
  'socket/config': {
    id: 'c-1',
    changed: 'framing',
    framing: { kind: 'fixed', size: 16 },
    responders: { mode: 'rules', rules: 2 },
    noDelay: true,
    keepAlive: true,
    closeOnPeerFin: false,
    captureHeadBytes: 262144,
  },
  'listener/config': {
    id: 'l-1',
    changed: 'responders',
    framing: null,
    responders: { mode: 'echo', rules: 0 },
    closeOnPeerFin: true,
    captureHeadBytes: null,
  },
  'socket/closed': { id: 'c-1', connection: { ...connection(), state: 'failed', closedAt: at, fault: fault() } },
  'socket/queue': { id: 'c-1', queuedBytes: 65536 },
  'socket/kernel': { id: 'c-1', tcpState: 'TIME_WAIT', recvQ: 0, sendQ: 0 },
  'listener/kernel': { id: 'l-1', tcpState: 'LISTEN', recvQ: 2, sendQ: 511 },
  'scenario/run': {
    id: 'r-1',
    scenario: 'hello',
    lab: null,
    session: 's-1',
    status: 'failed',
    steps: 6,
    failedStep: 3,
    elapsedMs: 1012.5,
  },
  'scenario/step': {
    id: 'r-1',
    step: 3,
    label: 'expect srv.accepted[0] text "hellp"',
    status: 'failed',
    elapsedMs: 1001.2,
    message: 'expected text "hellp" on c-2 (in) within 1000 ms; 5 bytes arrived after the cursor: "hello"',
  },
};
const event = (type: string, seq = 1): Record<string, unknown> => ({ type, seq, at, ...events[type] });
const snapshot = (extra: Record<string, unknown> = {}) => ({
  type: 'snapshot',
  seq: 2,
  at,
  sockets: { listeners: [listener()], connections: [connection()] },
  since: null,
  replay: [],
  lagged: false,
  missed: 0,
  ...extra,
});

function errorOf(r: { ok: true } | { ok: false; error: string }): string {
  if (r.ok) throw new Error('expected a rejection');
  return r.error;
}

describe('parseEvent / parseFrame', () => {
  it('has an example for every event type', () => {
    const types = InspectorEventSchema.anyOf.map((v) => v.properties.type.const);
    expect(Object.keys(events).sort()).toEqual([...types].sort());
  });

  it.each(Object.keys(events))('accepts a valid %s', (type) => {
    const e = event(type);
    expect(parseEvent(e)).toEqual({ ok: true, value: e });
    expect(parseFrame(e)).toEqual({ ok: true, value: e });
  });

  it.each([
    ['seq', { seq: 0 }],
    ['seq', { seq: 1.5 }],
    ['at', { at: '2024' }],
    ['id', { id: 'l-1' }],
    ['from', { from: 'listening' }],
    ['to', { to: 'established' }],
    ['cause', { cause: 7 }],
    ['remote', { remote: { address: '::1', port: 70000 } }],
    ['family', { family: 'IPv5' }],
  ])('rejects socket/state with a wrong %s, naming it', (field, patch) => {
    expect(errorOf(parseEvent({ ...event('socket/state'), ...patch }))).toContain(field);
  });

  it.each([
    ['socket/data', 'direction', { direction: 'sideways' }],
    ['socket/data', 'index', { index: 0 }],
    ['socket/data', 'length', { length: -1 }],
    ['socket/data', 'truncated', { truncated: 'no' }],
    ['socket/fault', 'retryInMs', { retryInMs: -5 }],
    ['socket/fault', 'errno', { fault: { ...fault(), errno: '111' } }],
    ['socket/opened', 'bytesIn', { connection: { ...connection(), bytesIn: -1 } }],
    ['socket/opened', 'kind', { connection: { ...connection(), kind: 'server' } }],
    ['listener/opened', 'backlog', { listener: { ...listener(), backlog: 0 } }],
    ['listener/state', 'to', { to: 'open' }],
    ['socket/flow', 'paused', { paused: 1 }],
    ['socket/config', 'changed', { changed: 'colour' }],
    ['socket/config', 'framing', { framing: { kind: 'fixed', size: 0 } }],
    ['socket/config', 'responders', { responders: { mode: 'loud', rules: 0 } }],
    ['socket/config', 'closeOnPeerFin', { closeOnPeerFin: 'yes' }],
    ['socket/config', 'captureHeadBytes', { captureHeadBytes: null }],
    ['listener/config', 'captureHeadBytes', { captureHeadBytes: -1 }],
    ['listener/config', 'id', { id: 'c-1' }],
    ['listener/config', 'rules', { responders: { mode: 'rules', rules: -1 } }],
    ['scenario/run', 'id', { id: 'c-1' }],
    ['scenario/step', 'status', { status: 'skipped' }],
  ])('rejects %s with a wrong %s, naming it', (type, field, patch) => {
    expect(errorOf(parseFrame({ ...event(type), ...patch }))).toContain(field);
  });

  it('rejects a missing field, naming it', () => {
    const { cause: _cause, ...rest } = event('socket/state');
    expect(errorOf(parseEvent(rest))).toContain('cause');
    const { seq: _seq, ...noSeq } = event('socket/flow');
    expect(errorOf(parseEvent(noSeq))).toContain('seq');
  });

  it('rejects unknown types and non-objects', () => {
    expect(errorOf(parseFrame({ ...event('socket/flow'), type: 'socket/teleport' }))).toMatch(
      /unknown.*socket\/teleport/,
    );
    for (const x of [null, undefined, 42, 'socket/flow', [], {}]) expect(parseFrame(x).ok).toBe(false);
    expect(errorOf(parseEvent(snapshot()))).toMatch(/unknown event type "snapshot"/);
  });
});

describe('snapshot frames', () => {
  it('accepts a snapshot with a replay, through parseFrame and parseSnapshot', () => {
    const s = snapshot({ since: 0, replay: [event('socket/opened', 1), event('socket/state', 2)] });
    expect(parseFrame(s).ok).toBe(true);
    expect(parseSnapshot(s).ok).toBe(true);
  });

  it.each([
    ['seq', { seq: -1 }],
    ['since', { since: 'x' }],
    ['lagged', { lagged: 'no' }],
    ['missed', { missed: -1 }],
    ['sockets.connections[0].state', { sockets: { listeners: [], connections: [{ ...connection(), state: 'up' }] } }],
    ['sockets.listeners[0].family', { sockets: { listeners: [{ ...listener(), family: 'v4' }], connections: [] } }],
  ])('rejects a wrong %s, naming it', (field, patch) => {
    expect(errorOf(parseFrame(snapshot(patch)))).toContain(field);
    expect(errorOf(parseSnapshot(snapshot(patch)))).toContain(field);
  });

  it('names the field of the right variant inside the replay', () => {
    const replay = [event('socket/opened', 1), { ...event('socket/state', 2), to: 'gone' }];
    expect(errorOf(parseFrame(snapshot({ replay })))).toMatch(/^replay\[1\]\.to: must be one of /);
    const unknown = [{ ...event('socket/flow', 1), type: 'socket/teleport' }];
    expect(errorOf(parseSnapshot(snapshot({ replay: unknown })))).toMatch(
      /^replay\[0\]\.type: must be one of .*socket\/flow/,
    );
  });

  it('rejects an event passed to parseSnapshot', () => {
    expect(parseSnapshot(event('socket/flow')).ok).toBe(false);
  });
});
