// Start-up configuration from argv and env (flags win over env). Pure: server.ts prints and exits.
import { randomBytes } from 'node:crypto';
import { DEFAULT_LIMITS, LimitsSchema, type Limits } from '../shared';
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
const TOKEN_RE = /^[A-Za-z0-9._~-]{1,512}$/;
/** A token anyone can guess opens sockets as this user: a given one must be at least this long (a made one has 32). */
export const MIN_TOKEN_LENGTH = 16;
const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];
/** Each limit's bounds, as LimitsSchema states them. */
const boundsOf = (name: keyof Limits): { minimum: number; maximum: number } => {
  const schema = LimitsSchema.properties[name] as { minimum?: number; maximum?: number };
  return { minimum: schema.minimum ?? 0, maximum: schema.maximum ?? Number.MAX_SAFE_INTEGER };
};
const SHORTHANDS: Record<string, keyof Limits> = {
  '--max-connections': 'maxConnections',
  '--max-listeners': 'maxListeners',
  '--capture-bytes': 'capturePerConnectionBytes',
  '--max-http-connections': 'maxHttpConnections',
  '--max-stream-clients': 'maxStreamClients',
};
const VALUE_FLAGS = new Set([
  '--port',
  '--host',
  '--token',
  '--limit',
  '--allow-host',
  '--allow-target',
  '--deny-target',
  '--log-level',
  ...Object.keys(SHORTHANDS),
]);

export const generateToken = (): string => randomBytes(24).toString('base64url');

class ConfigError extends Error {}

export function parseConfig(argv: readonly string[], env: Env, makeToken: () => string = generateToken): ParseResult {
  try {
    const flags = readFlags(argv);
    if (flags.has('--help')) return { kind: 'help', text: helpText() };
    if (flags.has('--version')) return { kind: 'version' };
    const last = (name: string): string | undefined => flags.get(name)?.at(-1);
    const fromEnv = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);

    const portText = last('--port') ?? fromEnv('SOCKSCOPE_PORT');
    const port =
      portText === undefined
        ? DEFAULT_PORT
        : parsePort(portText, last('--port') !== undefined ? '--port' : 'SOCKSCOPE_PORT');
    const host = parseHost(last('--host') ?? fromEnv('SOCKSCOPE_HOST') ?? DEFAULT_HOST);
    const givenToken = last('--token') ?? fromEnv('SOCKSCOPE_TOKEN');
    if (givenToken !== undefined && !TOKEN_RE.test(givenToken))
      throw new ConfigError(
        'the token must be 1 to 512 characters of A-Z a-z 0-9 . _ ~ - (it goes into a URL and a cookie)',
      );
    if (givenToken !== undefined && givenToken.length < MIN_TOKEN_LENGTH)
      throw new ConfigError(
        `the token is ${givenToken.length} characters; at least ${MIN_TOKEN_LENGTH} are needed, since anyone who guesses it can open sockets as you (leave --token out for a random one)`,
      );

    const limits: Partial<Limits> = {};
    for (const item of splitList(fromEnv('SOCKSCOPE_LIMITS'))) setLimit(limits, item, 'SOCKSCOPE_LIMITS');
    for (const item of flags.get('--limit') ?? []) setLimit(limits, item, '--limit');
    for (const [flag, name] of Object.entries(SHORTHANDS))
      for (const value of flags.get(flag) ?? []) limits[name] = parseLimitValue(name, value, flag);

    const logLevel = last('--log-level') ?? fromEnv('SOCKSCOPE_LOG_LEVEL') ?? 'warn';
    if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
      throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
    const allowedHosts = [...splitList(fromEnv('SOCKSCOPE_ALLOW_HOSTS')), ...(flags.get('--allow-host') ?? [])].map(
      parseHost,
    );
    const targets = {
      allow: targetRules(splitList(fromEnv('SOCKSCOPE_ALLOW_TARGETS')), flags.get('--allow-target'), 'allow'),
      deny: targetRules(splitList(fromEnv('SOCKSCOPE_DENY_TARGETS')), flags.get('--deny-target'), 'deny'),
    };

    return {
      kind: 'run',
      config: {
        port,
        host,
        token: givenToken ?? makeToken(),
        tokenGenerated: givenToken === undefined,
        limits,
        allowedHosts,
        targets,
        logLevel: logLevel as LogLevel,
      },
    };
  } catch (e) {
    if (e instanceof ConfigError) return { kind: 'error', message: e.message };
    throw e;
  }
}

/** `--name value` and `--name=value`; value flags may repeat. */
function readFlags(argv: readonly string[]): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') add('--help', '');
    else if (arg === '--version' || arg === '-v') add('--version', '');
    else {
      const eq = arg.indexOf('=');
      const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
      if (!VALUE_FLAGS.has(name)) throw new ConfigError(`unknown argument ${JSON.stringify(arg)}`);
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new ConfigError(`${name} needs a value`);
      add(name, value);
    }
  }
  return flags;
}

function parsePort(text: string, source: string): number {
  const port = /^[0-9]{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new ConfigError(`${source} must be an integer 0..65535, got ${JSON.stringify(text)}`);
  return port;
}

function parseHost(text: string): string {
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '' || host.length > 253 || /[\s/?#@]/.test(host))
    throw new ConfigError(`not a host name or IP literal: ${JSON.stringify(text)}`);
  return host;
}

const splitList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Env rules, then flag rules, each checked here so that a typo is a start-up error naming where it came from. */
function targetRules(fromEnv: string[], fromFlags: string[] = [], action: 'allow' | 'deny'): string[] {
  const checked = (source: string) => (rule: string) => {
    try {
      parseTargetRule(rule);
    } catch (e) {
      throw new ConfigError(`${source}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return rule;
  };
  const env = `SOCKSCOPE_${action.toUpperCase()}_TARGETS`;
  return [...fromEnv.map(checked(env)), ...fromFlags.map(checked(`--${action}-target`))];
}

function setLimit(limits: Partial<Limits>, item: string, source: string): void {
  const eq = item.indexOf('=');
  if (eq < 1) throw new ConfigError(`${source} expects name=value, got ${JSON.stringify(item)}`);
  const raw = item.slice(0, eq).trim();
  const name = raw.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Limits;
  if (!LIMIT_NAMES.includes(name))
    throw new ConfigError(`unknown limit ${JSON.stringify(raw)}; known: ${LIMIT_NAMES.join(', ')}`);
  limits[name] = parseLimitValue(name, item.slice(eq + 1), source);
}

/** Integer with an optional binary suffix: 512, 64k, 16m, 1g. */
function parseLimitValue(name: keyof Limits, text: string, source: string): number {
  const m = /^([0-9]+)([kmg]?)$/i.exec(text.trim());
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase()] ?? 1;
  const value = m ? Number(m[1]) * scale : NaN;
  const { minimum: min, maximum: max } = boundsOf(name);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    throw new ConfigError(
      `${source}: ${name} must be an integer ${range} (suffix k, m or g allowed), got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function helpText(): string {
  const width = Math.max(...LIMIT_NAMES.map((n) => n.length)) + 1;
  const limits = LIMIT_NAMES.map((n) => `    ${n.padEnd(width)} ${DEFAULT_LIMITS[n]}`).join('\n');
  return `Usage: sockscope [options]

Opens real TCP connections and listeners for you and shows every state, byte and errno.

Options (flags win over environment variables):
  --port N           HTTP port, 0 for any free one (SOCKSCOPE_PORT, default ${DEFAULT_PORT})
  --host H           address to bind (SOCKSCOPE_HOST, default ${DEFAULT_HOST}); anything but
                     loopback lets other hosts open sockets through sockscope (with the token)
  --token T          API token, at least ${MIN_TOKEN_LENGTH} characters (SOCKSCOPE_TOKEN, default: random on every start)
  --allow-host NAME  extra name accepted in the Host header, repeatable (SOCKSCOPE_ALLOW_HOSTS=a,b)
  --deny-target CIDR connections to addresses in this range are refused, repeatable
                     (SOCKSCOPE_DENY_TARGETS=a,b); a deny wins over an allow
  --allow-target CIDR
                     connections to this range are allowed even if a default rule denies it, repeatable
                     (SOCKSCOPE_ALLOW_TARGETS=a,b); GET /api/info lists the rules in force
  --limit NAME=N     override a limit, repeatable (SOCKSCOPE_LIMITS=name=N,name=N); k/m/g suffixes
  --max-connections N, --max-listeners N, --capture-bytes N
                     shorthands for maxConnections, maxListeners, capturePerConnectionBytes
  --max-http-connections N, --max-stream-clients N
                     shorthands for maxHttpConnections (open connections to this server; a request on
                     one more gets 429) and maxStreamClients (WebSocket /api/stream clients; one more
                     is closed with code 1013)
  --log-level L      ${LOG_LEVELS.join(', ')} (SOCKSCOPE_LOG_LEVEL, default warn); logs go to stderr
  --version          print the version
  --help             this text

Limits and their defaults:
${limits}
`;
}
