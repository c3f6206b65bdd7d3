// Which process holds a socket: scans /proc/PID/fd for `socket:[inode]` links, only when asked, cached, time-bounded.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface Owner {
  pid: number;
  /** /proc/PID/comm: the name the process gave itself (at most 15 characters); null when unreadable. */
  process: string | null;
}

export interface OwnerScanOptions {
  /** A scan stops after this long; the rest stays unknown until the next one (default 1000 ms). */
  budgetMs?: number;
  /** A scan younger than this answers every question, even about inodes it did not see (default 250 ms). */
  minAgeMs?: number;
  /** A scan younger than this answers questions about inodes it saw (default 2000 ms). */
  maxAgeMs?: number;
}

const PARALLEL_PIDS = 16;
const SOCKET_LINK = 'socket:[';

interface Scan {
  doneMs: number;
  owners: Map<number, Owner>;
}

export class ProcessOwners {
  private last: Scan | null = null;
  private running: Promise<Scan> | null = null;
  private readonly budgetMs: number;
  private readonly minAgeMs: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly procRoot: string,
    opts: OwnerScanOptions = {},
  ) {
    this.budgetMs = opts.budgetMs ?? 1000;
    this.minAgeMs = opts.minAgeMs ?? 250;
    this.maxAgeMs = opts.maxAgeMs ?? 2000;
  }

  /** Owners of these inodes, as far as /proc tells (other users' processes need root; a scan may run out of time). */
  async lookup(inodes: ReadonlySet<number>): Promise<Map<number, Owner>> {
    let scan = this.last;
    const age = scan ? performance.now() - scan.doneMs : Infinity;
    const complete = scan !== null && [...inodes].every((i) => scan!.owners.has(i));
    if (!scan || age > this.maxAgeMs || (!complete && age > this.minAgeMs)) scan = await this.rescan(inodes);
    const found = new Map<number, Owner>();
    for (const inode of inodes) {
      const owner = scan.owners.get(inode);
      if (owner) found.set(inode, owner);
    }
    return found;
  }

  private rescan(wanted: ReadonlySet<number>): Promise<Scan> {
    this.running ??= this.scan(wanted).finally(() => (this.running = null));
    return this.running;
  }

  private async scan(wanted: ReadonlySet<number>): Promise<Scan> {
    const deadline = performance.now() + this.budgetMs;
    const owners = new Map<number, Owner>();
    const all = (await readdir(this.procRoot).catch(() => [] as string[])).filter((n) => /^[0-9]+$/.test(n));
    // sockscope's own process first: its sockets are the ones users look for, and a scan may run out of time.
    const self = String(process.pid);
    const pids = all.includes(self) ? [self, ...all.filter((p) => p !== self)] : all;
    let missing = wanted.size;
    for (let i = 0; i < pids.length && missing > 0 && performance.now() < deadline; i += PARALLEL_PIDS) {
      const batch = pids.slice(i, i + PARALLEL_PIDS);
      await Promise.all(batch.map((pid) => this.scanPid(Number(pid), owners)));
      missing = [...wanted].filter((inode) => !owners.has(inode)).length;
    }
    const scan = { doneMs: performance.now(), owners };
    this.last = scan;
    return scan;
  }

  /** Every socket of one process; a process that exits meanwhile or is not ours to read is skipped. */
  private async scanPid(pid: number, owners: Map<number, Owner>): Promise<void> {
    const dir = join(this.procRoot, String(pid), 'fd');
    const fds = await readdir(dir).catch(() => [] as string[]);
    const links = await Promise.all(fds.map((fd) => readlink(join(dir, fd)).catch(() => '')));
    const inodes = links.filter((l) => l.startsWith(SOCKET_LINK)).map((l) => Number(l.slice(SOCKET_LINK.length, -1)));
    if (inodes.length === 0) return;
    const comm = await readFile(join(this.procRoot, String(pid), 'comm'), 'utf8').catch(() => null);
    const owner = { pid, process: comm === null ? null : comm.trim() };
    // A socket shared by a parent and its children is reported for the first process found (ss -p lists them all).
    for (const inode of inodes) if (!owners.has(inode)) owners.set(inode, owner);
  }
}
