// startServer: the app for a Config, listening; a handle to close it. Whoever started it owns the process and signals.
import { buildApp } from './app';
import type { Config } from './config';
import { hostForUrl } from './http/hosts';

export interface ServerHandle {
  /** `http://127.0.0.1:PORT` as bound (port 0 resolved), no token. */
  url: string;
  port: number;
  /** The server's own log (JSON lines on stderr when logging is on). */
  log: { info(fields: object, message: string): void };
  close(): Promise<void>;
}

export type ServerConfig = Pick<Config, 'port' | 'host' | 'token'> &
  Partial<Pick<Config, 'limits' | 'allowedHosts' | 'targets' | 'logLevel'>>;

export interface StartOptions {
  /** Log to stderr at config.logLevel; off: silent. */
  logger: boolean;
  /** The built UI; unset: dist/; null: the "not built" page. */
  uiDir?: string | null;
}

/** The server could not listen; `message` is one line naming the flag to change. */
export class ListenError extends Error {}

export async function startServer(config: ServerConfig, options: StartOptions): Promise<ServerHandle> {
  const app = await buildApp({
    token: config.token,
    host: config.host,
    logger: options.logger,
    ...(options.uiDir !== undefined ? { uiDir: options.uiDir } : {}),
    ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
    ...(config.limits ? { limits: config.limits } : {}),
    ...(config.targets ? { targets: config.targets } : {}),
    ...(config.logLevel ? { logLevel: config.logLevel } : {}),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close().catch(() => {});
    throw new ListenError(listenErrorLine(err, config));
  }
  const address = app.server.address();
  const bound = address !== null && typeof address === 'object' ? address : { address: config.host, port: config.port };
  return {
    url: `http://${hostForUrl(bound.address)}:${bound.port}`,
    port: bound.port,
    log: { info: (fields, message) => app.log.info(fields, message) },
    close: () => app.close(),
  };
}

function listenErrorLine(err: unknown, config: ServerConfig): string {
  const code = (err as { code?: unknown }).code;
  const where = `${hostForUrl(config.host)}:${config.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${config.port} is already in use (EADDRINUSE); pick another with --port N or SOCKSCOPE_PORT=N`;
    case 'EACCES':
      return `not allowed to listen on ${where} (EACCES): ports below 1024 need privileges; pick another with --port N`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where} (EADDRNOTAVAIL): no such address on this machine; check --host`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host ${JSON.stringify(config.host)} (${code}); check --host`;
    default:
      return `cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
