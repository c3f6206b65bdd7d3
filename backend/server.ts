// Entry point (tsx backend/server.ts): parse the config, build, listen, print the URL; close cleanly on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { parseConfig, type Config } from './config';
import { hostForUrl, isLoopbackHost } from './http/hosts';
import { VERSION } from './version';

const SHUTDOWN_GRACE_MS = 5_000;

async function main(): Promise<void> {
  const parsed = parseConfig(process.argv.slice(2), process.env);
  if (parsed.kind === 'help') return void process.stdout.write(parsed.text);
  if (parsed.kind === 'version') return void process.stdout.write(`sockscope ${VERSION}\n`);
  if (parsed.kind === 'error') return fail(2, `${parsed.message} (see --help)`);
  const config = parsed.config;

  const app = await buildApp({
    token: config.token,
    host: config.host,
    allowedHosts: config.allowedHosts,
    limits: config.limits,
    targets: config.targets,
    logger: true,
    logLevel: config.logLevel,
  });
  // Before the URL is printed: whoever reads that line may signal at once.
  handleSignals(app);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close().catch(() => {});
    return fail(1, listenErrorLine(err, config));
  }

  const address = app.server.address();
  const bound = address !== null && typeof address === 'object' ? address : { address: config.host, port: config.port };
  process.stdout.write(
    `sockscope listening on http://${hostForUrl(bound.address)}:${bound.port}/?token=${config.token}\n`,
  );
  if (!isLoopbackHost(config.host)) process.stderr.write(exposedWarning(config.host));
}

function listenErrorLine(err: unknown, config: Config): string {
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

function exposedWarning(host: string): string {
  const bar = '!'.repeat(78);
  return (
    `${bar}\n` +
    `sockscope: WARNING: listening on ${host}, which is not loopback.\n` +
    `Anyone who can reach this host and has the token can open TCP connections and listeners\n` +
    `through this machine, as this user. Use --host 127.0.0.1 unless you really mean it.\n` +
    `${bar}\n`
  );
}

function handleSignals(app: FastifyInstance): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return void process.exit(1); // a second Ctrl-C: the user does not want to wait
    closing = true;
    app.log.info({ signal }, 'shutting down');
    setTimeout(
      () => fail(1, `shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000} s; exiting`),
      SHUTDOWN_GRACE_MS,
    ).unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => fail(1, `error while shutting down: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function fail(exitCode: number, message: string): void {
  process.stderr.write(`sockscope: ${message}\n`);
  process.exit(exitCode);
}

main().catch((err: unknown) => {
  fail(1, `failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
});
