// The kernel's view for the inspector: availability, the poller behind the rows, and the host's whole TCP table.
import type { HostSocketsQuery, HostSocketsReply, KernelAvailability } from '../../shared';
import { nowMicros } from '../inspector/clock';
import { parseStateFilter, selectRows, toHostSocket } from './host-sockets';
import type { KernelTarget } from './kernel-match';
import { DEFAULT_POLL_TIMING, KernelPoller, type PollTiming, type PollerHost } from './kernel-poller';
import { KernelReader, type KernelOptions } from './kernel-reader';
import { ProcessOwners, type OwnerScanOptions } from './process-owners';

export interface KernelViewOptions extends KernelOptions {
  timing?: Partial<PollTiming>;
  owners?: OwnerScanOptions;
}

export class KernelView {
  private readonly reader: KernelReader;
  private readonly poller: KernelPoller;
  private readonly owners: ProcessOwners;

  constructor(opts: KernelViewOptions, host: PollerHost) {
    this.reader = new KernelReader(opts);
    this.poller = new KernelPoller(this.reader, host, { ...DEFAULT_POLL_TIMING, ...opts.timing });
    this.owners = new ProcessOwners(this.reader.procRoot, opts.owners);
  }

  get availability(): KernelAvailability {
    return this.reader.availability;
  }

  watch(): () => void {
    return this.poller.watch();
  }

  wake(): void {
    this.poller.wake();
  }

  closed(target: KernelTarget): void {
    this.poller.closedTarget(target);
  }

  refresh(maxAgeMs?: number): Promise<void> {
    return this.poller.refresh(maxAgeMs);
  }

  stop(): void {
    this.poller.stop();
  }

  /** A fresh read, filtered; owners looked up for the rows returned only. Unavailable: an empty table and why. */
  async hostSockets(query: HostSocketsQuery): Promise<HostSocketsReply> {
    const states = parseStateFilter(query.state);
    await this.poller.refresh();
    const latest = this.poller.latest();
    if (!this.reader.available) return { kernel: this.reader.availability, at: nowMicros(), sockets: [] };
    if (latest === null || this.poller.lastError !== null) {
      const reason = `reading ${this.reader.procRoot}/net/tcp failed: ${this.poller.lastError ?? 'no read yet'}`;
      return { kernel: { available: false, reason }, at: nowMicros(), sockets: [] };
    }
    const rows = selectRows(latest, { states, port: query.port });
    const inodes = new Set<number>();
    for (const i of rows) if (latest.read.table.inode[i]! !== 0) inodes.add(latest.read.table.inode[i]!);
    const owners = await this.owners.lookup(inodes);
    return {
      kernel: this.reader.availability,
      at: latest.read.at,
      sockets: rows.map((i) => toHostSocket(latest, i, owners)),
    };
  }
}
