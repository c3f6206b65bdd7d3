// The server's flags (one table: the parser and --help read it) and the Config they make with the environment (a flag
// wins over its variable). Pure: the serve command prints and exits.
import { randomBytes } from 'node:crypto';
import { DEFAULT_LIMITS, LimitsSchema, type Limits } from '../shared';
import { envOf, flagHelp, readFlags, UsageError, type Flag, type Flags } from './cli/flags';
import { parseTargetRule } from './inspector/target-policy';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  token: string;
  /** True when no token was given and a random one was made. */
  tokenGenerated: boolean;
  limits: Partial<Limits>;
  /** Extra names accepted in the Host header besides loopback and --host (e.g. a LAN name with --host 0.0.0.0). */
  allowedHosts: string[];
  /** CIDR ranges connections may (allow) or may not (deny) target, as given; the inspector checks and applies them. */
  targets: { allow: string[]; deny: string[] };
  logLevel: LogLevel;
}

export type ParseResult =
  | { kind: 'run'; config: Config }
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_PORT = 7070;
export const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_LOG_LEVEL: LogLevel = 'warn';
const TOKEN_RE = /^[A-Za-z0-9._~-]{1,512}$/;
/** A token anyone can guess opens sockets as this user: a given one must be at least this long (a made one has 32). */
export const MIN_TOKEN_LENGTH = 16;
const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

/** A flag that sets one limit: `--max-connections N` is `--limit maxConnections=N`. */
const shorthand = <const N extends string>(name: N, limit: keyof Limits, why = '') =>
  ({ name, value: 'N', limit, help: `same as --limit ${limit}=N${why}` }) as const;
/** The limit's own words from LimitsSchema, for a shorthand whose help says what happens past it. */
const described = (limit: keyof Limits): string =>
  ` (${(LimitsSchema.properties[limit] as { description?: string }).description ?? ''})`;

/** Every flag of `sockscope serve` (and of `npm start --`, `npm run serve --`, `tsx backend/server.ts`). */
export const SERVER_FLAGS = [
  {
    name: 'port',
    value: 'N',
    env: 'SOCKSCOPE_PORT',
    default: String(DEFAULT_PORT),
    help: 'HTTP port, 0 for any free one',
  },
  {
    name: 'host',
    value: 'H',
    env: 'SOCKSCOPE_HOST',
    default: DEFAULT_HOST,
    help: 'address to bind; anything but loopback lets other hosts open sockets through sockscope, with the token',
  },
  {
    name: 'token',
    value: 'T',
    env: 'SOCKSCOPE_TOKEN',
    default: 'random on every start',
    help: `API token, at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 . _ ~ -`,
  },
  {
    name: 'allow-host',
    value: 'NAME',
    repeatable: true,
    env: 'SOCKSCOPE_ALLOW_HOSTS',
    envList: true,
    help: 'extra name accepted in the Host header',
  },
  {
    name: 'deny-target',
    value: 'CIDR',
    repeatable: true,
    env: 'SOCKSCOPE_DENY_TARGETS',
    envList: true,
    help: 'connections to addresses in this range are refused; a deny wins over an allow',
  },
  {
    name: 'allow-target',
    value: 'CIDR',
    repeatable: true,
    env: 'SOCKSCOPE_ALLOW_TARGETS',
    envList: true,
    help: 'connections to this range are allowed even if a default rule denies it; GET /api/info lists the rules in force',
  },
  {
    name: 'limit',
    value: 'NAME=N',
    repeatable: true,
    env: 'SOCKSCOPE_LIMITS',
    envList: true,
    help: 'override a limit (listed below; kebab-case names work too); k, m and g suffixes multiply by 1024',
  },
  shorthand('max-connections', 'maxConnections'),
  shorthand('max-listeners', 'maxListeners'),
  shorthand('capture-bytes', 'capturePerConnectionBytes'),
  shorthand('max-http-connections', 'maxHttpConnections', described('maxHttpConnections')),
  shorthand('max-stream-clients', 'maxStreamClients', described('maxStreamClients')),
  {
    name: 'log-level',
    value: 'L',
    env: 'SOCKSCOPE_LOG_LEVEL',
    default: DEFAULT_LOG_LEVEL,
    help: `${LOG_LEVELS.join(', ')}; logs go to stderr`,
  },
  { name: 'version', short: 'v', help: 'print the version' },
  { name: 'help', short: 'h', help: 'this text' },
] as const satisfies readonly (Flag & { limit?: keyof Limits })[];

type Name = (typeof SERVER_FLAGS)[number]['name'];
/** A value and where it came from (`--port`, `SOCKSCOPE_PORT`), for the error that refuses it. */
interface Given {
  text: string;
  source: string;
}

export const generateToken = (): string => randomBytes(24).toString('base64url');

export function parseConfig(argv: readonly string[], env: Env, makeToken: () => string = generateToken): ParseResult {
  try {
    const flags = readFlags(argv, SERVER_FLAGS);
    if (flags.has('help')) return { kind: 'help', text: helpText() };
    if (flags.has('version')) return { kind: 'version' };
    return { kind: 'run', config: toConfig(flags, env, makeToken) };
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'error', message: e.message };
    throw e;
  }
}

function toConfig(flags: Flags<Name>, env: Env, makeToken: () => string): Config {
  const { one, many } = given(flags, env);
  const portGiven = one('port');
  const port = portGiven === undefined ? DEFAULT_PORT : parsePort(portGiven);
  const host = parseHost(one('host')?.text ?? DEFAULT_HOST);
  const givenToken = one('token')?.text;
  if (givenToken !== undefined) checkToken(givenToken);

  const limits: Partial<Limits> = {};
  for (const item of many('limit')) setLimit(limits, item);
  for (const flag of SERVER_FLAGS)
    if ('limit' in flag)
      for (const text of flags.all(flag.name))
        limits[flag.limit] = parseLimitValue(flag.limit, { text, source: `--${flag.name}` });

  const logLevel = one('log-level')?.text ?? DEFAULT_LOG_LEVEL;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new UsageError(`log level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  return {
    port,
    host,
    token: givenToken ?? makeToken(),
    tokenGenerated: givenToken === undefined,
    limits,
    allowedHosts: many('allow-host').map((g) => parseHost(g.text)),
    targets: { allow: many('allow-target').map(targetRule), deny: many('deny-target').map(targetRule) },
    logLevel: logLevel as LogLevel,
  };
}

/** Reads a flag, else its variable (empty counts as unset); a list flag's variable items come before the flag's. */
function given(flags: Flags<Name>, env: Env) {
  const fromEnv = (name: Name): Given | undefined => {
    const variable = envOf(SERVER_FLAGS, name);
    const text = variable === undefined ? undefined : env[variable];
    return variable === undefined || text === undefined || text === '' ? undefined : { text, source: variable };
  };
  const one = (name: Name): Given | undefined => {
    const text = flags.last(name);
    return text === undefined ? fromEnv(name) : { text, source: `--${name}` };
  };
  const many = (name: Name): Given[] => {
    const list = fromEnv(name);
    const items = list === undefined ? [] : list.text.split(',').map((s) => ({ text: s.trim(), source: list.source }));
    const flagged = flags.all(name).map((text) => ({ text, source: `--${name}` }));
    return [...items.filter((g) => g.text !== ''), ...flagged];
  };
  return { one, many };
}

function parsePort({ text, source }: Given): number {
  const port = /^[0-9]{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(`${source} must be an integer 0..65535, got ${JSON.stringify(text)}`);
  return port;
}

function parseHost(text: string): string {
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '' || host.length > 253 || /[\s/?#@]/.test(host))
    throw new UsageError(`not a host name or IP literal: ${JSON.stringify(text)}`);
  return host;
}

function checkToken(token: string): void {
  if (!TOKEN_RE.test(token))
    throw new UsageError(
      'the token must be 1 to 512 characters of A-Z a-z 0-9 . _ ~ - (it goes into a URL and a cookie)',
    );
  if (token.length < MIN_TOKEN_LENGTH)
    throw new UsageError(
      `the token is ${token.length} characters; at least ${MIN_TOKEN_LENGTH} are needed, since anyone who guesses it can open sockets as you (leave --token out for a random one)`,
    );
}

/** Checked here so that a typo is a start-up error naming where it came from; the inspector applies the rule. */
function targetRule({ text, source }: Given): string {
  try {
    parseTargetRule(text);
  } catch (e) {
    throw new UsageError(`${source}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return text;
}

/** `name=N`, the name in camelCase or kebab-case. */
function setLimit(limits: Partial<Limits>, { text, source }: Given): void {
  const eq = text.indexOf('=');
  if (eq < 1) throw new UsageError(`${source} expects name=value, got ${JSON.stringify(text)}`);
  const raw = text.slice(0, eq).trim();
  const name = raw.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Limits;
  if (!LIMIT_NAMES.includes(name))
    throw new UsageError(`unknown limit ${JSON.stringify(raw)}; known: ${LIMIT_NAMES.join(', ')}`);
  limits[name] = parseLimitValue(name, { text: text.slice(eq + 1), source });
}

/** Each limit's bounds, as LimitsSchema states them. */
const boundsOf = (name: keyof Limits): { minimum: number; maximum: number } => {
  const schema = LimitsSchema.properties[name] as { minimum?: number; maximum?: number };
  return { minimum: schema.minimum ?? 0, maximum: schema.maximum ?? Number.MAX_SAFE_INTEGER };
};

/** Integer with an optional binary suffix: 512, 64k, 16m, 1g. */
function parseLimitValue(name: keyof Limits, { text, source }: Given): number {
  const m = /^([0-9]+)([kmg]?)$/i.exec(text.trim());
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase()] ?? 1;
  const value = m ? Number(m[1]) * scale : NaN;
  const { minimum: min, maximum: max } = boundsOf(name);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    throw new UsageError(
      `${source}: ${name} must be an integer ${range} (suffix k, m or g allowed), got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function helpText(): string {
  const width = Math.max(...LIMIT_NAMES.map((n) => n.length)) + 1;
  const limits = LIMIT_NAMES.map((n) => `    ${n.padEnd(width)} ${DEFAULT_LIMITS[n]}`).join('\n');
  return `Usage: sockscope serve [options]

Opens real TCP connections and listeners for you and shows every state, byte and errno.

Options (a flag wins over its environment variable):
${flagHelp(SERVER_FLAGS)}

Limits and their defaults (--limit NAME=N):
${limits}
`;
}
