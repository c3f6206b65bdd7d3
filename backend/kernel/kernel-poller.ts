// Keeps the kernel fields of sockscope's sockets current: polls while watched (4 Hz, 1 Hz once idle) and on demand.
import type { TcpState } from '../../shared';
import type { KernelRead, KernelReader } from './kernel-reader';
import { NO_KERNEL, fieldsAt, matchTargets, type KernelTarget } from './kernel-match';
import type { ProcTcpTable } from './proc-net-tcp';

export interface PollerHost {
  /** Listening listeners and connections not yet closed. */
  liveTargets(): Iterable<KernelTarget>;
  /** After each applied read: a moment to sample what else changes without an event (Node's write queues). */
  afterRead(): void;
}

export interface PollTiming {
  fastMs: number;
  slowMs: number;
  /** Reads in a row without a change before polling slows down. */
  idleReadsBeforeSlow: number;
  /** refresh() reuses a read started at most this long ago: REST reads cost at most one /proc read per 50 ms. */
  freshMs: number;
  /** A closed socket is followed at most this long after close. */
  closedTrackMs: number;
  /** And at most this many at once (the oldest is let go first). */
  maxClosedTracked: number;
  /**
   * Reading /proc/net/tcp costs the kernel time in proportion to the sockets of the host (about 3 ms per 1,000 on
   * the machine this was measured on): polls and REST refreshes are at least this far apart per 1,000 rows of the
   * last read, which keeps the poller near a tenth of a core on a busy host (0: no such floor). Counted in rows, not
   * measured in time: on a loaded machine a read's wall time says more about the load than about its cost.
   */
  msPerThousandRows: number;
}

export const DEFAULT_POLL_TIMING: PollTiming = {
  fastMs: 250,
  slowMs: 1000,
  idleReadsBeforeSlow: 8,
  freshMs: 50,
  closedTrackMs: 120_000,
  maxClosedTracked: 1024,
  msPerThousandRows: 25,
};

/** States the kernel leaves on its own: worth polling for even when nobody watches. */
const TRANSIENT = new Set<TcpState>([
  'SYN_SENT',
  'SYN_RECV',
  'NEW_SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
]);

interface Closed {
  closedMs: number;
  /** The inode it had while open: after close the kernel row shows 0, and any other inode is someone else's socket. */
  inode: number;
}

export interface LatestRead {
  read: KernelRead;
  /** Row index -> the listener or connection it belongs to. */
  owned: ReadonlyMap<number, KernelTarget>;
}

export class KernelPoller {
  private watchers = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  private timerDelay = 0;
  private idleReads = 0;
  private transientLive = 0;
  private changes = 0;
  private lastRows = 0;
  private stopped = false;
  private latestRead: LatestRead | null = null;
  private inflight: { startedMs: number; done: Promise<void> } | null = null;
  private queued: Promise<void> | null = null;
  private readonly closed = new Map<KernelTarget, Closed>();
  private readonly inodes = new WeakMap<KernelTarget, number>();
  /** Why the last read failed; null after a good one. */
  lastError: string | null = null;

  constructor(
    private readonly reader: KernelReader,
    private readonly host: PollerHost,
    private readonly timing: PollTiming = DEFAULT_POLL_TIMING,
  ) {}

  /** Someone watches (a stream subscriber): poll until the returned function is called. */
  watch(): () => void {
    this.watchers++;
    this.wake();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.watchers--;
      this.schedule();
    };
  }

  /** Something happened to a socket: poll at the fast rate again. */
  wake(): void {
    this.idleReads = 0;
    this.schedule();
  }

  /** A target was closed: follow its kernel row (FIN_WAIT2, TIME_WAIT...) until the kernel lets go of it. */
  closedTarget(t: KernelTarget): void {
    if (!this.reader.available || this.stopped || t.kernelKey() === null) return;
    this.closed.set(t, { closedMs: performance.now(), inode: this.inodes.get(t) ?? 0 });
    if (this.closed.size > this.timing.maxClosedTracked) {
      const oldest = this.closed.keys().next().value!;
      this.closed.delete(oldest);
      oldest.applyKernel(NO_KERNEL);
    }
    this.wake();
  }

  /** Resolves once rows reflect a read that started at most maxAgeMs ago (reads never overlap). */
  refresh(maxAgeMs = this.freshMs): Promise<void> {
    if (!this.reader.available || this.stopped) return Promise.resolve();
    const now = performance.now();
    const last = this.latestRead?.read;
    if (last && now - last.startedMs <= maxAgeMs) return Promise.resolve();
    const inflight = this.inflight;
    if (!inflight) return this.start();
    if (now - inflight.startedMs <= maxAgeMs) return inflight.done;
    this.queued ??= inflight.done.then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  latest(): LatestRead | null {
    return this.latestRead;
  }

  /** The delay of the poll now planned (fastMs or slowMs), or null when not polling. */
  get plannedDelayMs(): number | null {
    return this.timer === null ? null : this.timerDelay;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** What a read costs, as the least time between two reads. */
  private get costFloorMs(): number {
    return Math.round((this.lastRows / 1000) * this.timing.msPerThousandRows);
  }

  /** Reads are at most freshMs apart for REST, more on hosts where a read is expensive. */
  private get freshMs(): number {
    return Math.max(this.timing.freshMs, this.costFloorMs);
  }

  private start(): Promise<void> {
    const startedMs = performance.now();
    const done: Promise<void> = this.reader
      .read()
      .then(
        (read) => {
          this.lastRows = read.table.size;
          this.apply(read);
        },
        (err: unknown) => {
          this.lastError = err instanceof Error ? err.message : String(err);
        },
      )
      .finally(() => {
        if (this.inflight?.done === done) this.inflight = null;
      });
    this.inflight = { startedMs, done };
    return done;
  }

  private apply(read: KernelRead): void {
    // Reads never overlap by design; should one finish after a younger one anyway, the younger one stands.
    if (this.stopped || (this.latestRead !== null && read.startedMs < this.latestRead.read.startedMs)) return;
    this.lastError = null;
    const owned = new Map<number, KernelTarget>();
    const live = [...this.host.liveTargets()];
    const match = matchTargets(read.table, [...live, ...this.closed.keys()], (t, table, i) =>
      this.isItsRow(t, table, i),
    );
    let changed = false;
    let transient = 0;
    for (const t of live) {
      const i = match.get(t);
      const fields = i === undefined ? NO_KERNEL : fieldsAt(read.table, i, t, read.somaxconn);
      if (i !== undefined) {
        owned.set(i, t);
        if (read.table.inode[i]! !== 0) this.inodes.set(t, read.table.inode[i]!);
      }
      if (t.applyKernel(fields)) changed = true;
      if (fields.tcpState !== null && TRANSIENT.has(fields.tcpState)) transient++;
    }
    if (this.followClosed(read, match, owned)) changed = true;
    this.latestRead = { read, owned };
    this.transientLive = transient;
    if (changed) this.changes++;
    this.host.afterRead();
  }

  /** Closed targets: updated while their row lives; one last all-null once it is gone (or they are let go). */
  private followClosed(read: KernelRead, match: Map<KernelTarget, number>, owned: Map<number, KernelTarget>): boolean {
    let changed = false;
    const now = performance.now();
    for (const [t, c] of this.closed) {
      const i = match.get(t);
      const expired = now - c.closedMs > this.timing.closedTrackMs;
      if (i !== undefined && !expired) {
        owned.set(i, t);
        if (t.applyKernel(fieldsAt(read.table, i, t, read.somaxconn))) changed = true;
      } else if (expired || read.startedMs >= c.closedMs) {
        // Only a read begun after the close may say the row is gone.
        this.closed.delete(t);
        if (t.applyKernel(NO_KERNEL)) changed = true;
      }
    }
    return changed;
  }

  private isItsRow(t: KernelTarget, table: ProcTcpTable, i: number): boolean {
    const c = this.closed.get(t);
    if (!c) return true;
    const inode = table.inode[i]!;
    return inode === 0 || inode === c.inode;
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const before = this.changes;
    await this.refresh();
    this.idleReads = this.changes === before ? this.idleReads + 1 : 0;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || !this.reader.available) return;
    const wanted = this.watchers > 0 || this.closed.size > 0 || this.transientLive > 0;
    if (!wanted) return this.clearTimer();
    const base = this.idleReads >= this.timing.idleReadsBeforeSlow ? this.timing.slowMs : this.timing.fastMs;
    const delay = Math.max(base, this.costFloorMs);
    const due = performance.now() + delay;
    if (this.timer !== null && this.timerDue <= due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timerDelay = delay;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref(); // never what keeps a process alive
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
