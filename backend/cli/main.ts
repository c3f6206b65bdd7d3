// `npx sockscope ...`: parse the command, find a server (--url, or one embedded here), run, print, exit code.
import { SockscopeClient, SockscopeError } from '../../shared/client';
import { VERSION } from '../version';
import { HELP, parseArgs, type Target } from './args';
import { EXIT_UNUSABLE, listLabs, loadFile, runFile, runLab, type Io } from './commands';

const processIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

/** The exit code; null for `serve`, which runs until a signal and exits by itself. */
export async function main(
  argv: readonly string[],
  io: Io = processIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number | null> {
  const command = parseArgs(argv, env);
  switch (command.kind) {
    case 'help':
      io.out(HELP.trimEnd());
      return 0;
    case 'version':
      io.out(`sockscope ${VERSION}`);
      return 0;
    case 'error':
      io.err(`sockscope: ${command.message} (see sockscope --help)`);
      return EXIT_UNUSABLE;
    case 'serve':
      await serve(command.args);
      return null;
    case 'run': {
      const text = await loadFile(command.file, command.target, io);
      if (text === null) return EXIT_UNUSABLE;
      return withClient(command.target, io, (client) => runFile(client, text, command.target, io));
    }
    case 'lab':
      return withClient(command.target, io, (client) => runLab(client, command.name, command.target, io));
    case 'lab-list':
      return withClient(command.target, io, (client) => listLabs(client, command.target, io));
  }
}

/** server.ts reads its flags from process.argv when imported: hand it the ones after `serve`. */
async function serve(args: readonly string[]): Promise<void> {
  process.argv = [process.argv[0] ?? 'node', 'sockscope serve', ...args];
  await import('../server');
}

async function withClient(target: Target, io: Io, work: (client: SockscopeClient) => Promise<number>): Promise<number> {
  if (target.url !== undefined) {
    try {
      const client = new SockscopeClient({ url: target.url, ...(target.token ? { token: target.token } : {}) });
      return await work(client);
    } catch (e) {
      return failed(e, io);
    }
  }
  if (target.keep)
    io.err('sockscope: --keep without --url: the private server stops (and its sockets close) after the run');
  let embedded;
  try {
    // Loaded only here: --help, --url and usage errors do not pay for Fastify.
    const { startEmbedded } = await import('./embedded');
    embedded = await startEmbedded();
  } catch (e) {
    io.err(`sockscope: cannot start a server: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_UNUSABLE;
  }
  try {
    return await work(new SockscopeClient({ url: embedded.url, token: embedded.token }));
  } catch (e) {
    return failed(e, io);
  } finally {
    await embedded.close();
  }
}

/** No result at all: a bad file the server refused, an unknown lab, no server, a wrong token... */
function failed(e: unknown, io: Io): number {
  if (!(e instanceof SockscopeError)) throw e;
  const hint =
    e.code === 'UNAUTHORIZED'
      ? ' (give the token with --token or SOCKSCOPE_TOKEN, or use the URL sockscope printed)'
      : e.code === 'LAB_NOT_FOUND'
        ? ' (see sockscope lab --list)'
        : '';
  const [first, ...more] = e.message.split('\n');
  io.err(`sockscope: ${first}${hint}`);
  for (const line of more) io.err(line);
  return EXIT_UNUSABLE;
}
