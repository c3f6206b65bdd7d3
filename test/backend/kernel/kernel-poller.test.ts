// The poller against a procfs of our own making (real files in a temp dir): matching, after-close tracking, cadence.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Endpoint, TcpState } from '../../../shared';
import { TCP_STATES } from '../../../shared';
import { KernelPoller, DEFAULT_POLL_TIMING, type PollTiming } from '../../../backend/kernel/kernel-poller';
import { KernelReader } from '../../../backend/kernel/kernel-reader';
import {
  NO_KERNEL,
  connectionKey,
  listenKey,
  sameKernelFields,
  type KernelFields,
  type KernelKey,
  type KernelTarget,
} from '../../../backend/kernel/kernel-match';
import { parseIPv6 } from '../../../backend/kernel/ip-address';
import { within } from '../../helpers/loopback';

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
/** An address as the kernel prints it on a little-endian machine: 32-bit words, each in host byte order. */
function procAddress(address: string): string {
  const bytes = address.includes(':') ? parseIPv6(address)! : Uint8Array.from(address.split('.').map(Number));
  let out = '';
  for (let w = 0; w < bytes.length; w += 4) for (let k = 3; k >= 0; k--) out += hex(bytes[w + k]!, 2);
  return out;
}

interface Row {
  local: Endpoint;
  remote?: Endpoint;
  state: TcpState;
  tx?: number;
  rx?: number;
  inode?: number;
}

function procLine(r: Row, i: number): string {
  const remote = r.remote ?? { address: r.local.address.includes(':') ? '::' : '0.0.0.0', port: 0 };
  const st = hex(TCP_STATES.indexOf(r.state) + 1, 2);
  return (
    `${String(i).padStart(4)}: ${procAddress(r.local.address)}:${hex(r.local.port, 4)} ` +
    `${procAddress(remote.address)}:${hex(remote.port, 4)} ${st} ${hex(r.tx ?? 0, 8)}:${hex(r.rx ?? 0, 8)} ` +
    `00:00000000 00000000     0        0 ${r.inode ?? 0} 1 0000000000000000 20 4 30 10 -1`
  );
}

class FakeTarget implements KernelTarget {
  fields: KernelFields = { ...NO_KERNEL };
  readonly applied: KernelFields[] = [];
  constructor(
    readonly id: string,
    readonly kind: 'listener' | 'connection',
    private readonly key: KernelKey,
    readonly backlog = 0,
  ) {}
  kernelKey(): KernelKey {
    return this.key;
  }
  applyKernel(fields: KernelFields): boolean {
    if (sameKernelFields(this.fields, fields)) return false;
    this.fields = { ...fields };
    this.applied.push(this.fields);
    return true;
  }
}

const A = { address: '127.0.0.1', port: 5000 };
const B = { address: '127.0.0.1', port: 40000 };

let root: string;
let live: FakeTarget[];
let poller: KernelPoller;
let afterReads = 0;

function writeProc(tcp: Row[], tcp6: Row[] = []): void {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  writeFileSync(join(root, 'net/tcp'), header + tcp.map(procLine).join('\n') + '\n');
  writeFileSync(join(root, 'net/tcp6'), header + tcp6.map(procLine).join('\n') + '\n');
}

function makePoller(timing: Partial<PollTiming> = {}, platform = 'linux'): KernelPoller {
  const reader = new KernelReader({ procRoot: root, platform });
  const host = { liveTargets: () => live, afterRead: () => void afterReads++ };
  poller = new KernelPoller(reader, host, { ...DEFAULT_POLL_TIMING, ...timing });
  return poller;
}

const client = () => new FakeTarget('c-1', 'connection', connectionKey(B, A));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sockscope-proc-'));
  mkdirSync(join(root, 'net'));
  mkdirSync(join(root, 'sys/net/core'), { recursive: true });
  writeFileSync(join(root, 'sys/net/core/somaxconn'), '128\n');
  writeProc([]);
  live = [];
  afterReads = 0;
});

afterEach(() => {
  poller?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('reads and matching', () => {
  it('matches connections by both endpoints and listeners by local endpoint; LISTEN Send-Q is the capped backlog', async () => {
    const c = client();
    const l = new FakeTarget('l-1', 'listener', listenKey(A), 511);
    live = [c, l];
    writeProc([
      { local: A, state: 'LISTEN', rx: 2, inode: 10 },
      { local: B, remote: A, state: 'ESTABLISHED', tx: 7, rx: 3, inode: 11 },
      { local: A, remote: B, state: 'ESTABLISHED', inode: 12 },
      { local: B, remote: { ...A, port: 5001 }, state: 'ESTABLISHED', inode: 13 },
    ]);
    await makePoller().refresh();
    expect(c.fields).toEqual({ tcpState: 'ESTABLISHED', recvQ: 3, sendQ: 7 });
    expect(l.fields).toEqual({ tcpState: 'LISTEN', recvQ: 2, sendQ: 128 }); // min(511, somaxconn 128)
    expect(afterReads).toBe(1);
    const owned = poller.latest()!.owned;
    expect([...owned.values()].map((t) => t.id).sort()).toEqual(['c-1', 'l-1']);
  });

  it('a socket Node reports as IPv4 matches its v4-mapped row in tcp6, and the other way round', async () => {
    const v4 = client();
    const mapped = new FakeTarget('c-2', 'connection', connectionKey({ ...A, address: '::ffff:127.0.0.1' }, B));
    live = [v4, mapped];
    const m = (e: Endpoint) => ({ ...e, address: `::ffff:${e.address}` });
    writeProc(
      [],
      [
        { local: m(B), remote: m(A), state: 'ESTABLISHED', inode: 1 },
        { local: m(A), remote: m(B), state: 'CLOSE_WAIT', inode: 2 },
      ],
    );
    await makePoller().refresh();
    expect(v4.fields.tcpState).toBe('ESTABLISHED');
    expect(mapped.fields.tcpState).toBe('CLOSE_WAIT');
  });

  it('refresh() reuses a read begun within freshMs, else reads again; reads never overlap', async () => {
    makePoller({ freshMs: 60_000 });
    await poller.refresh();
    const first = poller.latest();
    await Promise.all([poller.refresh(), poller.refresh()]);
    expect(poller.latest()).toBe(first);
    const forced = await Promise.all([poller.refresh(0), poller.refresh(0), poller.refresh(0)]);
    expect(forced).toHaveLength(3);
    expect(poller.latest()).not.toBe(first);
    expect(afterReads).toBeLessThanOrEqual(3); // the first read, one forced, at most one queued behind it
  });

  it('a row that goes away while the socket is live: all null, once', async () => {
    const c = client();
    live = [c];
    writeProc([{ local: B, remote: A, state: 'ESTABLISHED', inode: 11 }]);
    await makePoller().refresh(0);
    writeProc([]);
    await poller.refresh(0);
    await poller.refresh(0);
    expect(c.applied).toEqual([{ tcpState: 'ESTABLISHED', recvQ: 0, sendQ: 0 }, NO_KERNEL]);
  });
});

describe('after close', () => {
  it('follows the row (inode 0 once orphaned) through FIN_WAIT2 and TIME_WAIT, then one last null and lets go', async () => {
    const c = client();
    live = [c];
    writeProc([{ local: B, remote: A, state: 'ESTABLISHED', inode: 11 }]);
    await makePoller().refresh(0);
    live = [];
    poller.closedTarget(c);
    writeProc([{ local: B, remote: A, state: 'FIN_WAIT2', inode: 0 }]);
    await poller.refresh(0);
    writeProc([{ local: B, remote: A, state: 'TIME_WAIT', inode: 0 }]);
    await poller.refresh(0);
    writeProc([]);
    await poller.refresh(0);
    writeProc([{ local: B, remote: A, state: 'TIME_WAIT', inode: 0 }]); // no longer followed
    await poller.refresh(0);
    expect(c.applied.map((f) => f.tcpState)).toEqual(['ESTABLISHED', 'FIN_WAIT2', 'TIME_WAIT', null]);
  });

  it('a new socket on the same endpoints (another inode) is not the closed one', async () => {
    const c = client();
    live = [c];
    writeProc([{ local: B, remote: A, state: 'ESTABLISHED', inode: 11 }]);
    await makePoller().refresh(0);
    live = [];
    poller.closedTarget(c);
    writeProc([{ local: B, remote: A, state: 'ESTABLISHED', inode: 99 }]);
    await poller.refresh(0);
    expect(c.fields).toEqual(NO_KERNEL);
  });

  it('is bounded: at most maxClosedTracked followed (the oldest let go with null), none past closedTrackMs', async () => {
    const targets = [1, 2, 3].map((n) => new FakeTarget(`c-${n}`, 'connection', connectionKey({ ...B, port: n }, A)));
    const rows = targets.map((_, n) => ({ local: { ...B, port: n + 1 }, remote: A, state: 'TIME_WAIT' as const }));
    live = targets;
    writeProc(rows);
    await makePoller({ maxClosedTracked: 2 }).refresh(0);
    live = [];
    for (const t of targets) poller.closedTarget(t);
    expect(targets[0]!.fields).toEqual(NO_KERNEL);
    await poller.refresh(0);
    expect(targets.map((t) => t.fields.tcpState)).toEqual([null, 'TIME_WAIT', 'TIME_WAIT']);

    const c = client();
    live = [c];
    writeProc([{ local: B, remote: A, state: 'TIME_WAIT' }]);
    makePoller({ closedTrackMs: 0 });
    await poller.refresh(0);
    live = [];
    poller.closedTarget(c);
    await poller.refresh(0);
    expect(c.applied.map((f) => f.tcpState)).toEqual(['TIME_WAIT', null]);
  });
});

describe('cadence', () => {
  const until = (what: string, test: () => boolean) =>
    within(
      (async () => {
        while (!test()) await new Promise((r) => setTimeout(r, 2));
      })(),
      3000,
      what,
    );

  it('polls fast while watched, slows down when nothing changes, speeds up on activity, stops unwatched', async () => {
    const c = client();
    live = [c];
    writeProc([{ local: B, remote: A, state: 'ESTABLISHED', inode: 11 }]);
    makePoller({ fastMs: 5, slowMs: 40, idleReadsBeforeSlow: 3 });
    expect(poller.plannedDelayMs).toBeNull();
    const unwatch = poller.watch();
    expect(poller.plannedDelayMs).toBe(5);
    await until('first read', () => c.fields.tcpState === 'ESTABLISHED');
    await until('slow after idle reads', () => poller.plannedDelayMs === 40);
    writeProc([{ local: B, remote: A, state: 'ESTABLISHED', rx: 100, inode: 11 }]);
    await until('the change seen', () => c.fields.recvQ === 100);
    await until('fast again after a change', () => poller.plannedDelayMs === 5);
    await until('slow again', () => poller.plannedDelayMs === 40);
    poller.wake();
    expect(poller.plannedDelayMs).toBe(5);
    unwatch();
    unwatch(); // idempotent
    expect(poller.plannedDelayMs).toBeNull();
  });

  it('spaces polls and REST refreshes further apart the more sockets the host has (big tables make /proc slow)', async () => {
    live = [client()];
    writeProc(
      Array.from({ length: 2000 }, (_, i) => ({ local: { ...A, port: 10000 + i }, remote: B, state: 'TIME_WAIT' })),
    );
    makePoller({ fastMs: 5, freshMs: 0, msPerThousandRows: 30_000 });
    await poller.refresh(0);
    const read = poller.latest();
    poller.watch();
    expect(poller.plannedDelayMs).toBe(60_000); // 2,000 rows at 30 s per 1,000
    await poller.refresh(); // the default freshness now spans a minute too
    expect(poller.latest()).toBe(read);
  });

  it('unwatched, goes on while a socket is in a state the kernel leaves by itself, then stops', async () => {
    const c = client();
    live = [c];
    writeProc([{ local: B, remote: A, state: 'FIN_WAIT2', inode: 11 }]);
    makePoller({ fastMs: 5, slowMs: 5 });
    await poller.refresh(0);
    poller.wake();
    expect(poller.plannedDelayMs).toBe(5);
    writeProc([{ local: B, remote: A, state: 'CLOSE_WAIT', inode: 11 }]); // the app must act: not transient
    await until('stopped', () => c.fields.tcpState === 'CLOSE_WAIT' && poller.plannedDelayMs === null);
  });
});

describe('without a kernel view', () => {
  it('not Linux: nothing is read, nothing scheduled, refresh resolves at once', async () => {
    const c = client();
    live = [c];
    writeProc([{ local: B, remote: A, state: 'ESTABLISHED', inode: 11 }]);
    makePoller({}, 'darwin');
    poller.watch();
    await poller.refresh(0);
    expect(poller.plannedDelayMs).toBeNull();
    expect(poller.latest()).toBeNull();
    expect(c.applied).toEqual([]);
  });

  it('a read that fails later keeps the last fields and says why', async () => {
    const c = client();
    live = [c];
    writeProc([{ local: B, remote: A, state: 'ESTABLISHED', inode: 11 }]);
    await makePoller().refresh(0);
    rmSync(join(root, 'net'), { recursive: true });
    await poller.refresh(0);
    expect(poller.lastError).toContain('ENOENT');
    expect(c.fields.tcpState).toBe('ESTABLISHED');
  });
});
