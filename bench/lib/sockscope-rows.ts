// Reading sockscope rows over REST, the way a user's script would.
import type { SockscopeServer } from './processes';

export interface Row {
  id: string;
  kind: string;
  parent: string | null;
  state: string;
  bytesIn: number;
  remote: { address: string; port: number } | null;
}

export async function listen(
  server: SockscopeServer,
  body: Record<string, unknown> = {},
): Promise<{ id: string; port: number }> {
  const row = await server.api<{ id: string; local: { port: number } }>('POST', '/api/listeners', { port: 0, ...body });
  return { id: row.id, port: row.local.port };
}

/** The accepted connection whose peer is our client's local port. */
export async function acceptedFor(
  server: SockscopeServer,
  listenerId: string,
  clientPort: number,
): Promise<Row | null> {
  const { connections } = await server.api<{ connections: Row[] }>('GET', '/api/sockets');
  return connections.find((c) => c.parent === listenerId && c.remote?.port === clientPort) ?? null;
}
