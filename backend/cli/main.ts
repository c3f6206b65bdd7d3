// `npx sockscope ...`: parse the command, find a server (--url, or one embedded here), run, print, exit code.
import { SockscopeClient, SockscopeError } from '../../shared/client';
import { VERSION } from '../version';
import { HELP, parseArgs, type Target } from './args';
import { EXIT_UNUSABLE, listLabs, loadFile, processIo, runFile, runLab, type Io } from './commands';
import { serve } from './serve';

type Env = Readonly<Record<string, string | undefined>>;

/** The exit code; null for `serve`, which runs until a signal and exits by itself. */
export async function main(
  argv: readonly string[],
  io: Io = processIo,
  env: Env = process.env,
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
      return serve(command.args, io, env);
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

async function withClient(target: Target, io: Io, work: (client: SockscopeClient) => Promise<number>): Promise<number> {
  if (target.url !== undefined) {
    try {
      const client = new SockscopeClient({ url: target.url, ...(target.token ? { token: target.token } : {}) });
      return await work(client);
    } catch (e) {
      return failed(e, target.url, io);
    }
  }
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
    return failed(e, embedded.url, io);
  } finally {
    await embedded.close();
  }
}

/** No result at all: a bad file the server refused, an unknown lab, no server, a wrong token... */
function failed(e: unknown, url: string, io: Io): number {
  if (!(e instanceof SockscopeError)) throw e;
  const [first = '', ...more] = e.message.split('\n');
  io.err(`sockscope: ${explain(e, first, url)}`);
  for (const line of more) io.err(line);
  return EXIT_UNUSABLE;
}

/** The error's first line, said for someone at a shell: which flag or variable to change. */
function explain(e: SockscopeError, first: string, url: string): string {
  const where = parsedUrl(url);
  switch (e.code) {
    case 'UNAUTHORIZED':
      return `missing or wrong token for ${where?.origin ?? url}: pass the URL sockscope printed (?token= included) as --url, or the token as --token or SOCKSCOPE_TOKEN`;
    case 'LAB_NOT_FOUND':
      return `${first} (sockscope lab --list says what each one shows)`;
    case 'NETWORK':
      // undici refuses the fetch standard's "bad ports" (1, 22, 6000...) before it dials; its cause is just "bad port".
      if (first.endsWith(': bad port'))
        return `${first.slice(0, -': bad port'.length)}: Node's fetch refuses port ${where?.port ?? '?'}, which is on the fetch standard's list of "bad ports"; run sockscope on another port`;
      return first;
    default:
      return first;
  }
}

function parsedUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
