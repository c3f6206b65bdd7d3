// Rows of /proc/net/tcp and /proc/net/tcp6, one typed array per column.
import { TCP_STATES, type TcpState } from '../../shared';

export type TcpProto = 'tcp' | 'tcp6';

/** One socket as the kernel lists it (net/ipv4/tcp_ipv4.c get_tcp4_sock, get_timewait4_sock, get_openreq4). */
export interface ProcTcpEntry {
  proto: TcpProto;
  state: TcpState;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** tx_queue: bytes not yet acknowledged by the peer (Send-Q). 0 for LISTEN: /proc does not carry the backlog. */
  txQueue: number;
  /** rx_queue: bytes not yet read by the app (Recv-Q); for LISTEN, connections waiting in the accept queue. */
  rxQueue: number;
  /** `tr`: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe. */
  timerActive: number;
  /** `tm->when`: clock ticks (USER_HZ) until the timer fires; 0 once it is due. */
  timerTicks: number;
  retransmits: number;
  uid: number;
  /** The `timeout` column: unanswered probes (zero-window or keepalive). */
  probes: number;
  /** 0 for sockets no process holds any more (TIME_WAIT, orphans after close, SYN_RECV requests). */
  inode: number;
}

/**
 * Parsed rows, one typed array per column: a 50,000-socket host costs no object per row (and no GC pressure) until
 * someone asks for rows with entry(i). Addresses are shared strings.
 */
export class ProcTcpTable {
  size = 0;
  /** Lines that were neither header nor a valid row. */
  malformed = 0;
  v6 = new Uint8Array(0);
  stateCode = new Uint8Array(0);
  localPort = new Uint16Array(0);
  remotePort = new Uint16Array(0);
  txQueue = new Uint32Array(0);
  rxQueue = new Uint32Array(0);
  timerActive = new Uint8Array(0);
  timerTicks = new Float64Array(0);
  retransmits = new Uint32Array(0);
  uid = new Uint32Array(0);
  probes = new Uint32Array(0);
  inode = new Float64Array(0);
  localAddress: string[] = [];
  remoteAddress: string[] = [];

  state(i: number): TcpState {
    return TCP_STATES[this.stateCode[i]! - 1]!;
  }

  entry(i: number): ProcTcpEntry {
    return {
      proto: this.v6[i] === 1 ? 'tcp6' : 'tcp',
      state: this.state(i),
      localAddress: this.localAddress[i]!,
      localPort: this.localPort[i]!,
      remoteAddress: this.remoteAddress[i]!,
      remotePort: this.remotePort[i]!,
      txQueue: this.txQueue[i]!,
      rxQueue: this.rxQueue[i]!,
      timerActive: this.timerActive[i]!,
      timerTicks: this.timerTicks[i]!,
      retransmits: this.retransmits[i]!,
      uid: this.uid[i]!,
      probes: this.probes[i]!,
      inode: this.inode[i]!,
    };
  }

  entries(): ProcTcpEntry[] {
    const out: ProcTcpEntry[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.entry(i));
    return out;
  }

  /** Room for `more` rows beyond size. */
  reserve(more: number): void {
    const need = this.size + more;
    if (need <= this.v6.length) return;
    const cap = Math.max(need, this.v6.length * 2, 64);
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(cap);
      next.set(old as never);
      return next;
    };
    this.v6 = grow(this.v6, (n) => new Uint8Array(n));
    this.stateCode = grow(this.stateCode, (n) => new Uint8Array(n));
    this.localPort = grow(this.localPort, (n) => new Uint16Array(n));
    this.remotePort = grow(this.remotePort, (n) => new Uint16Array(n));
    this.txQueue = grow(this.txQueue, (n) => new Uint32Array(n));
    this.rxQueue = grow(this.rxQueue, (n) => new Uint32Array(n));
    this.timerActive = grow(this.timerActive, (n) => new Uint8Array(n));
    this.timerTicks = grow(this.timerTicks, (n) => new Float64Array(n));
    this.retransmits = grow(this.retransmits, (n) => new Uint32Array(n));
    this.uid = grow(this.uid, (n) => new Uint32Array(n));
    this.probes = grow(this.probes, (n) => new Uint32Array(n));
    this.inode = grow(this.inode, (n) => new Float64Array(n));
    this.localAddress = growStrings(this.localAddress, this.size, cap);
    this.remoteAddress = growStrings(this.remoteAddress, this.size, cap);
  }
}

/**
 * Address columns are allocated at full size and filled, as the typed ones are: growing a large array by assignment
 * past its end, or its first string store, makes V8 drop the parser's optimized code in the middle of a read.
 */
function growStrings(old: string[], used: number, cap: number): string[] {
  const next = new Array<string>(cap).fill('');
  for (let i = 0; i < used; i++) next[i] = old[i]!;
  return next;
}
