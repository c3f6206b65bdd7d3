// The CLI's command line: run FILE, lab NAME, lab --list, serve [...], --help, --version. Pure.
import { CLEANUP_MODES, GRACEFUL_CLOSE_MS, type CleanupMode } from '../../shared';
import { envOf, flagHelp, readFlags, UsageError, type Flag } from './flags';

export interface Target {
  /** A running sockscope; unset: an embedded one is started for this command. */
  url: string | undefined;
  token: string | undefined;
  keep: boolean;
  /** How the run's sockets end; unset: the file's own `cleanup`, else the default. */
  cleanup: CleanupMode | undefined;
  json: boolean;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; file: string; target: Target }
  | { kind: 'lab'; name: string; target: Target }
  | { kind: 'lab-list'; target: Target }
  /** The server's own flags (backend/config.ts), parsed by the server. */
  | { kind: 'serve'; args: string[] }
  | { kind: 'error'; message: string };

type Env = Readonly<Record<string, string | undefined>>;

/** The flags of run and lab. */
const RUN_FLAGS = [
  {
    name: 'url',
    value: 'URL',
    env: 'SOCKSCOPE_URL',
    help: 'a running sockscope (its printed URL, ?token= included, works): the run is then visible live in its UI. Without a URL a private server is started inside this process for the run.',
  },
  { name: 'token', value: 'T', env: 'SOCKSCOPE_TOKEN', help: 'the API token of --url (or ?token= in the URL)' },
  {
    name: 'keep',
    help: "leave the run's sockets open on the --url server afterwards, to inspect them there (refused without --url: a private server exits with the run)",
  },
  {
    name: 'cleanup',
    value: 'MODE',
    help: `how the run's sockets end afterwards, over the file's own cleanup: close (the default: a FIN, so your server reads a clean EOF; a peer that has not closed ${GRACEFUL_CLOSE_MS} ms later is released) or reset (an RST: your server gets ECONNRESET)`,
  },
  {
    name: 'json',
    help: 'print the run result (or the validation errors) as JSON; in it steps[].index and failedStep count from 0, while the text output numbers steps from 1',
  },
  { name: 'list', help: 'with lab: list the built-in labs instead of running one' },
  { name: 'help', short: 'h', help: 'this text' },
] as const satisfies readonly Flag[];

export function parseArgs(argv: readonly string[], env: Env = {}): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'help' };
  if (command === '--version' || command === '-v') return { kind: 'version' };
  if (command === 'serve') return { kind: 'serve', args: rest };
  try {
    const flags = readFlags(rest, RUN_FLAGS, { positionals: true });
    if (flags.has('help')) return { kind: 'help' };
    // A flag given empty is a mistake; its variable empty is unset.
    const value = (name: 'url' | 'token' | 'cleanup'): string | undefined => {
      const text = flags.last(name);
      if (text === '') throw new UsageError(`--${name} needs a value`);
      const variable = envOf(RUN_FLAGS, name);
      return text ?? ((variable && env[variable]) || undefined);
    };
    const positional = flags.positionals;
    const target: Target = {
      url: value('url'),
      token: value('token'),
      keep: flags.has('keep'),
      cleanup: cleanupFlag(value('cleanup')),
      json: flags.has('json'),
    };
    if (target.keep && target.cleanup !== undefined)
      throw new UsageError('--keep leaves the sockets open and --cleanup says how they end: give one of them');
    if (target.keep && target.url === undefined && (command === 'run' || command === 'lab') && !flags.has('list'))
      throw new UsageError(
        '--keep needs --url or SOCKSCOPE_URL: without one the server runs inside this command and exits with it',
      );
    if (command === 'run') {
      if (positional.length !== 1) throw new UsageError('run needs exactly one scenario file: sockscope run FILE');
      return { kind: 'run', file: positional[0]!, target };
    }
    if (command === 'lab') {
      if (flags.has('list')) {
        if (positional.length > 0) throw new UsageError('lab --list takes no lab name');
        return { kind: 'lab-list', target };
      }
      if (positional.length !== 1) throw new UsageError('lab needs one lab name (see sockscope lab --list)');
      return { kind: 'lab', name: positional[0]!, target };
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'error', message: e.message };
    throw e;
  }
}

function cleanupFlag(value: string | undefined): CleanupMode | undefined {
  if (value === undefined) return undefined;
  const mode = CLEANUP_MODES.find((m) => m === value);
  if (!mode) throw new UsageError(`--cleanup takes ${CLEANUP_MODES.join(' or ')}, not ${JSON.stringify(value)}`);
  return mode;
}

export const HELP = `Usage: sockscope <command> [options]

Commands:
  run FILE          run a scenario file (YAML or JSON) and print one line per step
  lab NAME          run a built-in lab: a classic socket mistake, reproduced
  lab --list        list the built-in labs
  serve [options]   start the server and its web UI (see: sockscope serve --help)
  --help            this text
  --version         print the version

Options of run and lab:
${flagHelp(RUN_FLAGS)}

Exit status: 0 the run passed, 1 a step failed, 2 a bad file or usage, or no server to talk to.
`;
