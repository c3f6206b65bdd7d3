// Matching sockscope's own sockets to rows of the kernel table by endpoints (listeners by local address and port).
import type { Endpoint, TcpState } from '../../shared';
import { keyAddress } from './ip-address';
import type { ProcTcpTable } from './proc-net-tcp';

/** What a row shows of the kernel's view; all null while the socket is not (or no longer) in the table. */
export interface KernelFields {
  tcpState: TcpState | null;
  recvQ: number | null;
  sendQ: number | null;
}

export const NO_KERNEL: Readonly<KernelFields> = Object.freeze({ tcpState: null, recvQ: null, sendQ: null });

export const sameKernelFields = (a: KernelFields, b: KernelFields): boolean =>
  a.tcpState === b.tcpState && a.recvQ === b.recvQ && a.sendQ === b.sendQ;

/** A listener or connection the kernel view keeps up to date. */
export interface KernelTarget {
  readonly id: string;
  readonly kind: 'listener' | 'connection';
  /** For listeners: the backlog asked for (the kernel caps it at somaxconn). */
  readonly backlog?: number;
  /** listenKey() or connectionKey() of its endpoints; null while they are not known. */
  kernelKey(): KernelKey | null;
  /** Stores the fields; emits listener/kernel or socket/kernel and returns true when they changed. */
  applyKernel(fields: KernelFields): boolean;
}

export interface KernelKey {
  key: string;
  localPort: number;
}

export const listenKey = (local: Endpoint): KernelKey => ({
  key: `L ${keyAddress(local.address)} ${local.port}`,
  localPort: local.port,
});
export const connectionKey = (local: Endpoint, remote: Endpoint): KernelKey => ({
  key: `C ${keyAddress(local.address)} ${local.port} ${keyAddress(remote.address)} ${remote.port}`,
  localPort: local.port,
});

/** The kernel prints addresses canonically already: only its v4-mapped form needs folding to IPv4. */
const kernelAddress = (a: string): string => (a.startsWith('::ffff:') && a.includes('.', 7) ? a.slice(7) : a);

function keyAt(table: ProcTcpTable, i: number): string {
  const local = kernelAddress(table.localAddress[i]!);
  const port = table.localPort[i]!;
  if (table.state(i) === 'LISTEN') return `L ${local} ${port}`;
  return `C ${local} ${port} ${kernelAddress(table.remoteAddress[i]!)} ${table.remotePort[i]!}`;
}

/** Accepts a row for a target, given what was seen of it before (closed sockets are held by no inode). */
export type RowFilter = (target: KernelTarget, table: ProcTcpTable, i: number) => boolean;

/**
 * Row index per target. Only rows whose local port is one of the targets' are keyed, so a host with 50,000 sockets
 * costs a few string keys, not 50,000. When two rows share a key (a TIME_WAIT and a new socket on the same
 * endpoints), the filter decides, and a held socket (inode != 0) wins over an orphan.
 */
export function matchTargets(
  table: ProcTcpTable,
  targets: Iterable<KernelTarget>,
  accept: RowFilter = () => true,
): Map<KernelTarget, number> {
  const byKey = new Map<string, KernelTarget[]>();
  const ports = new Set<number>();
  for (const t of targets) {
    const k = t.kernelKey();
    if (k === null) continue;
    const list = byKey.get(k.key);
    if (list) list.push(t);
    else byKey.set(k.key, [t]);
    ports.add(k.localPort);
  }
  const found = new Map<KernelTarget, number>();
  if (byKey.size === 0) return found;
  for (let i = 0; i < table.size; i++) {
    if (!ports.has(table.localPort[i]!)) continue;
    const list = byKey.get(keyAt(table, i));
    if (!list) continue;
    for (const t of list) {
      if (!accept(t, table, i)) continue;
      const prev = found.get(t);
      if (prev === undefined || (table.inode[prev] === 0 && table.inode[i] !== 0)) found.set(t, i);
    }
  }
  return found;
}

/** The fields a row gives a target: for LISTEN, Recv-Q is the accept queue and Send-Q the backlog in force. */
export function fieldsAt(table: ProcTcpTable, i: number, target: KernelTarget, somaxconn: number | null): KernelFields {
  const tcpState = table.state(i);
  if (tcpState === 'LISTEN' && target.kind === 'listener') {
    // /proc/net/tcp has no backlog column (ss reads it over netlink): listen(2) caps the backlog at somaxconn.
    const backlog = target.backlog ?? 0;
    const sendQ = somaxconn === null ? backlog : Math.min(backlog, somaxconn);
    return { tcpState, recvQ: table.rxQueue[i]!, sendQ };
  }
  return { tcpState, recvQ: table.rxQueue[i]!, sendQ: table.txQueue[i]! };
}
