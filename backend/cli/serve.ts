// `sockscope serve` (also `npm start`, `npm run serve`, `tsx backend/server.ts`): the server's flags, then the server
// in this process until SIGINT or SIGTERM, which close it cleanly and end the process.
import { parseConfig, type Config } from '../config';
import { isLoopbackHost } from '../http/hosts';
import type { ServerHandle } from '../start-server';
import { VERSION } from '../version';
import { EXIT_UNUSABLE, type Io } from './commands';
import { watchParent } from './parent-watch';

type Env = Readonly<Record<string, string | undefined>>;

const SHUTDOWN_GRACE_MS = 5_000;
const EXIT_NOT_STARTED = 1;

/** The exit code; null once the server listens: it runs until a signal, which ends the process. */
export async function serve(args: readonly string[], io: Io, env: Env): Promise<number | null> {
  const parsed = parseConfig(args, env);
  switch (parsed.kind) {
    case 'help':
      io.out(parsed.text.trimEnd());
      return 0;
    case 'version':
      io.out(`sockscope ${VERSION}`);
      return 0;
    case 'error':
      io.err(`sockscope: ${parsed.message} (see sockscope serve --help)`);
      return EXIT_UNUSABLE;
  }
  // Started by npm (npm_lifecycle_event is set for npm start, npm run and npx), it ends with npm: a parent gone is a
  // SIGTERM, answered below with a clean shutdown. Watched from now: the parent may go while Fastify loads.
  if (env.npm_lifecycle_event !== undefined) watchParent(() => process.kill(process.pid, 'SIGTERM'));
  // Loaded only here: --help and usage errors do not pay for Fastify.
  const { startServer, ListenError } = await import('../start-server');
  let server: ServerHandle;
  try {
    server = await startServer(parsed.config, { logger: true });
  } catch (err) {
    if (err instanceof ListenError) io.err(`sockscope: ${err.message}`);
    else io.err(`sockscope: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT_NOT_STARTED;
  }
  // Before the URL is printed: whoever reads that line may signal at once.
  closeOnSignals(server, io);
  io.out(`sockscope listening on ${server.url}/?token=${parsed.config.token}`);
  if (!isLoopbackHost(parsed.config.host)) for (const line of exposedWarning(parsed.config)) io.err(line);
  return null;
}

function exposedWarning({ host }: Config): string[] {
  const bar = '!'.repeat(78);
  return [
    bar,
    `sockscope: WARNING: listening on ${host}, which is not loopback.`,
    `Anyone who can reach this host and has the token can open TCP connections and listeners`,
    `through this machine, as this user. Use --host 127.0.0.1 unless you really mean it.`,
    bar,
  ];
}

/** The first signal closes the server and exits 0 (1 if closing fails or takes too long); a second one exits at once. */
function closeOnSignals(server: ServerHandle, io: Io): void {
  let closing = false;
  const fail = (message: string) => {
    io.err(`sockscope: ${message}`);
    process.exit(1);
  };
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return void process.exit(1); // a second Ctrl-C: the user does not want to wait
    closing = true;
    server.log.info({ signal }, 'shutting down');
    setTimeout(
      () => fail(`shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000} s; exiting`),
      SHUTDOWN_GRACE_MS,
    ).unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => fail(`error while shutting down: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
