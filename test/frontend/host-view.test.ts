// The host table's view: filters (text, state, own, port), sorts, stable keys, and the query sent to the server.
import { describe, expect, it } from 'vitest';
import type { HostSocket } from '../../shared';
import {
  buildHostView,
  defaultHostOptions,
  hostQuery,
  nextHostSort,
  parsePort,
  type HostViewOptions,
} from '../../frontend/state/host-view';

const sock = (over: Partial<HostSocket> = {}): HostSocket => ({
  proto: 'tcp',
  state: 'ESTABLISHED',
  recvQ: 0,
  sendQ: 0,
  local: { address: '127.0.0.1', port: 40000 },
  remote: { address: '127.0.0.1', port: 5432 },
  uid: 1000,
  inode: 100,
  pid: null,
  process: null,
  ownerId: null,
  ...over,
});

const listen = sock({
  state: 'LISTEN',
  local: { address: '0.0.0.0', port: 22 },
  remote: { address: '0.0.0.0', port: 0 },
  uid: 0,
  inode: 7,
  pid: 812,
  process: 'sshd',
});
const own = sock({
  state: 'LISTEN',
  local: { address: '127.0.0.1', port: 41000 },
  remote: { address: '0.0.0.0', port: 0 },
  ownerId: 'l-1',
  pid: 99,
  process: 'node',
  sendQ: 511,
});
const ownConn = sock({
  local: { address: '127.0.0.1', port: 50000 },
  remote: { address: '127.0.0.1', port: 41000 },
  ownerId: 'c-10',
  recvQ: 4096,
});
const ownConn2 = sock({
  local: { address: '127.0.0.1', port: 50001 },
  remote: { address: '127.0.0.1', port: 41000 },
  ownerId: 'c-2',
  sendQ: 70000,
});
const tw = sock({
  state: 'TIME_WAIT',
  local: { address: '10.0.0.5', port: 33000 },
  remote: { address: '10.0.0.9', port: 443 },
  inode: 0,
  uid: 0,
});
const v6 = sock({
  proto: 'tcp6',
  local: { address: '::1', port: 8080 },
  remote: { address: '::1', port: 60000 },
  inode: 300,
});
const all = [listen, own, ownConn, ownConn2, tw, v6];

const view = (over: Partial<HostViewOptions>) => buildHostView(all, { ...defaultHostOptions, ...over });
const sockets = (over: Partial<HostViewOptions>) => view(over).items.map((i) => i.socket);

describe('buildHostView', () => {
  it('keeps the kernel order without options and counts sockscope’s own', () => {
    const v = view({});
    expect(v.items.map((i) => i.socket)).toEqual(all);
    expect(v.total).toBe(6);
    expect(v.own).toBe(3);
  });

  it('filters by state, by own, and by local or remote port', () => {
    expect(sockets({ state: 'LISTEN' })).toEqual([listen, own]);
    expect(sockets({ state: 'own' })).toEqual([own, ownConn, ownConn2]);
    expect(sockets({ port: 41000 })).toEqual([own, ownConn, ownConn2]);
    expect(sockets({ port: 443 })).toEqual([tw]);
    expect(sockets({ state: 'LISTEN', port: 41000 })).toEqual([own]);
  });

  it('matches text terms on addresses, state, process, ids, uid and port:N, all required', () => {
    expect(sockets({ text: 'sshd' })).toEqual([listen]);
    expect(sockets({ text: 'time_wait' })).toEqual([tw]);
    expect(sockets({ text: 'sockscope listen' })).toEqual([own]);
    expect(sockets({ text: 'c-10' })).toEqual([ownConn]);
    expect(sockets({ text: 'uid:0' })).toEqual([listen, tw]);
    expect(sockets({ text: 'port:22' })).toEqual([listen]);
    expect(sockets({ text: '[::1]:8080' })).toEqual([v6]);
    expect(sockets({ text: 'pid:812' })).toEqual([listen]);
  });

  it('sorts numerically (addresses, queues, owner ids) with missing values last, ties in kernel order', () => {
    expect(sockets({ sort: { column: 'local', direction: 'asc' } }).map((s) => s.local.port)).toEqual([
      22, 33000, 41000, 50000, 50001, 8080,
    ]);
    expect(sockets({ sort: { column: 'recvq', direction: 'desc' } })[0]).toBe(ownConn);
    expect(sockets({ sort: { column: 'owner', direction: 'asc' } }).map((s) => s.ownerId)).toEqual([
      'c-2',
      'c-10',
      'l-1',
      null,
      null,
      null,
    ]);
    expect(sockets({ sort: { column: 'owner', direction: 'desc' } }).map((s) => s.ownerId)).toEqual([
      'l-1',
      'c-10',
      'c-2',
      null,
      null,
      null,
    ]);
    expect(sockets({ sort: { column: 'process', direction: 'asc' } }).slice(0, 2)).toEqual([own, listen]);
    expect(sockets({ sort: { column: 'state', direction: 'asc' } }).map((s) => s.state)).toEqual([
      'ESTABLISHED',
      'ESTABLISHED',
      'ESTABLISHED',
      'TIME_WAIT',
      'LISTEN',
      'LISTEN',
    ]);
  });

  it('gives every row a key that is stable across polls and unique within one', () => {
    const a = view({}).items.map((i) => i.key);
    const again = buildHostView(
      all.map((s) => ({ ...s, recvQ: s.recvQ + 1 })),
      defaultHostOptions,
    ).items.map((i) => i.key);
    expect(again).toEqual(a);
    const twice = buildHostView([tw, { ...tw }], defaultHostOptions).items.map((i) => i.key);
    expect(new Set(twice).size).toBe(2);
  });
});

describe('host options', () => {
  it('sends state and port to the server, keeps text and own local', () => {
    expect(hostQuery(defaultHostOptions)).toEqual({});
    expect(hostQuery({ ...defaultHostOptions, state: 'TIME_WAIT', port: 80, text: 'x' })).toEqual({
      state: 'TIME_WAIT',
      port: 80,
    });
    expect(hostQuery({ ...defaultHostOptions, state: 'own' })).toEqual({});
  });

  it('parses a typed port or gives null', () => {
    expect(parsePort(' 8080 ')).toBe(8080);
    expect(parsePort('0')).toBe(0);
    expect(parsePort('')).toBeNull();
    expect(parsePort('65536')).toBeNull();
    expect(parsePort('80a')).toBeNull();
  });

  it('cycles a column asc, desc, kernel order', () => {
    const asc = nextHostSort(null, 'recvq');
    expect(asc).toEqual({ column: 'recvq', direction: 'asc' });
    const desc = nextHostSort(asc, 'recvq');
    expect(desc).toEqual({ column: 'recvq', direction: 'desc' });
    expect(nextHostSort(desc, 'recvq')).toBeNull();
    expect(nextHostSort(desc, 'uid')).toEqual({ column: 'uid', direction: 'asc' });
  });
});
