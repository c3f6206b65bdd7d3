// Socket inode -> owning process from the real /proc: this test process owns the listener it opens.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KernelReader } from '../../../backend/kernel/kernel-reader';
import { ProcessOwners } from '../../../backend/kernel/process-owners';

let server: net.Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = null;
});

async function listenerInode(): Promise<number> {
  server = net.createServer();
  await new Promise<void>((resolve) => server!.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = (server.address() as net.AddressInfo).port;
  const { table } = await new KernelReader().read();
  const row = table.entries().find((e) => e.state === 'LISTEN' && e.localPort === port);
  expect(row?.inode).toBeGreaterThan(0);
  return row!.inode;
}

describe('ProcessOwners', () => {
  it('finds the process holding a socket, with its name from /proc/PID/comm', async () => {
    const inode = await listenerInode();
    const owners = await new ProcessOwners('/proc').lookup(new Set([inode, 0]));
    expect(owners.get(inode)).toEqual({ pid: process.pid, process: readFileSync('/proc/self/comm', 'utf8').trim() });
    expect(owners.has(0)).toBe(false); // TIME_WAIT and orphans have no inode, hence no process
  });

  it('stops when its time budget is spent: what it did not reach stays unknown', async () => {
    const inode = await listenerInode();
    expect((await new ProcessOwners('/proc', { budgetMs: 0 }).lookup(new Set([inode]))).size).toBe(0);
  });

  it('a procfs without processes knows no owners', async () => {
    expect((await new ProcessOwners('/nonexistent').lookup(new Set([1, 2]))).size).toBe(0);
  });
});
