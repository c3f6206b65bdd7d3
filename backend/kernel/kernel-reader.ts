// Whether this machine has a kernel view, and one read of /proc/net/tcp and /proc/net/tcp6 into a parsed table.
import { accessSync, constants, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KernelAvailability } from '../../shared';
import { nowMicros } from '../inspector/clock';
import { parseProcNetTcp, type ProcTcpTable } from './proc-net-tcp';

export interface KernelOptions {
  /** Where procfs is mounted (default /proc); a missing directory makes the kernel view unavailable. */
  procRoot?: string;
  /** Defaults to process.platform: only Linux has /proc/net/tcp. */
  platform?: string;
}

export interface KernelRead {
  /** When the read began, microseconds since the Unix epoch (what replies carry). */
  at: number;
  /** When the read began, performance.now() (what freshness and after-close tracking compare). */
  startedMs: number;
  table: ProcTcpTable;
  /** The cap listen(2) puts on a backlog; null when unreadable. */
  somaxconn: number | null;
}

const errorText = (err: unknown): string =>
  (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

export class KernelReader {
  readonly procRoot: string;
  readonly availability: KernelAvailability;
  private somaxconn: number | null | undefined;

  constructor(opts: KernelOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.availability = this.check(opts.platform ?? process.platform);
  }

  get available(): boolean {
    return this.availability.available;
  }

  /** Both files, read once each and parsed; tcp6 may be absent (IPv6 disabled). Rejects when tcp cannot be read. */
  async read(): Promise<KernelRead> {
    const at = nowMicros();
    const startedMs = performance.now();
    const [tcp, tcp6] = await Promise.all([
      readFile(join(this.procRoot, 'net/tcp'), 'latin1'),
      readFile(join(this.procRoot, 'net/tcp6'), 'latin1').catch(() => ''),
    ]);
    const table = parseProcNetTcp(tcp, 'tcp');
    parseProcNetTcp(tcp6, 'tcp6', table);
    return { at, startedMs, table, somaxconn: this.readSomaxconn() };
  }

  private check(platform: string): KernelAvailability {
    if (platform !== 'linux')
      return { available: false, reason: `no /proc/net/tcp on ${platform}: the kernel view needs Linux` };
    const path = join(this.procRoot, 'net/tcp');
    try {
      accessSync(path, constants.R_OK);
      return { available: true, reason: null };
    } catch (err) {
      return { available: false, reason: `cannot read ${path} (${errorText(err)})` };
    }
  }

  // Read once: changing net.core.somaxconn later only affects listeners created after the change anyway.
  private readSomaxconn(): number | null {
    if (this.somaxconn === undefined) {
      try {
        const n = Number(readFileSync(join(this.procRoot, 'sys/net/core/somaxconn'), 'latin1').trim());
        this.somaxconn = Number.isSafeInteger(n) && n > 0 ? n : null;
      } catch {
        this.somaxconn = null;
      }
    }
    return this.somaxconn;
  }
}
