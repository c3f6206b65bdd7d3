// Command lines through node:util parseArgs, from a table of flags that also writes the help: each flag is listed once.
import { parseArgs } from 'node:util';

export interface Flag {
  /** The long name: `port` is --port. */
  readonly name: string;
  /** One letter: `h` is -h. */
  readonly short?: string;
  /** The value's placeholder in the help (`N`, `URL`); a flag without one is a switch. */
  readonly value?: string;
  /** Given more than once, each value counts (otherwise the last one does). */
  readonly repeatable?: boolean;
  /** The environment variable used when the flag is not given. */
  readonly env?: string;
  /** The variable holds a comma-separated list (read before the flag's own values). */
  readonly envList?: boolean;
  /** The default as the help shows it. */
  readonly default?: string;
  readonly help: string;
}

/** A command line that cannot be run; `message` is one line, said for someone at a shell. */
export class UsageError extends Error {}

export interface Flags<Name extends string> {
  /** Every value given, in order. */
  all(name: Name): string[];
  /** The value given last. */
  last(name: Name): string | undefined;
  has(name: Name): boolean;
  positionals: string[];
}

/**
 * `--name value`, `--name=value`, `-h`, `--` before positionals. Strict: an unknown flag, a missing value, a value given
 * to a switch, or (unless `positionals`) a positional throws a UsageError naming the argument as typed.
 */
export function readFlags<const T extends readonly Flag[]>(
  args: readonly string[],
  table: T,
  { positionals = false } = {},
): Flags<T[number]['name']> {
  const options = Object.fromEntries(
    table.map((f) => [
      f.name,
      { type: f.value === undefined ? 'boolean' : 'string', ...(f.short ? { short: f.short } : {}) },
    ]),
  ) as Record<string, { type: 'boolean' | 'string'; short?: string }>;
  // Node's strict mode refuses `--port -1` ("ambiguous"), but a value may start with '-' (a negative number is then
  // refused by the flag's own check, with its own message) and says only "Unknown option": strictness is checked here
  // on the tokens instead, which keep the argument as typed.
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const known = new Map<string, Flag>(table.map((f) => [f.name, f]));
  const values = new Map<string, string[]>();
  const found: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!positionals) throw new UsageError(`unknown argument ${JSON.stringify(token.value)}`);
      found.push(token.value);
      continue;
    }
    const flag = known.get(token.name);
    if (flag === undefined) throw new UsageError(`unknown argument ${JSON.stringify(args[token.index])}`);
    if (flag.value !== undefined && token.value === undefined) throw new UsageError(`--${flag.name} needs a value`);
    if (flag.value === undefined && token.value !== undefined) throw new UsageError(`--${flag.name} takes no value`);
    values.set(flag.name, [...(values.get(flag.name) ?? []), token.value ?? '']);
  }
  return {
    all: (name) => values.get(name) ?? [],
    last: (name) => values.get(name)?.at(-1),
    has: (name) => values.has(name),
    positionals: found,
  };
}

/** The environment variable that stands in for the flag `name`, if it has one. */
export const envOf = (table: readonly Flag[], name: string): string | undefined =>
  table.find((f) => f.name === name)?.env;

/** Column where a flag's description starts. */
const HELP_COLUMN = 24;
const HELP_WIDTH = 110;

/** Two-column help: `  --port N   what it does`, then where else the value comes from, each line wrapped. */
export function flagHelp(table: readonly Flag[]): string {
  return table.map(flagLines).flat().join('\n');
}

function flagLines(flag: Flag): string[] {
  const left = `  ${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
  const from = [
    ...(flag.repeatable ? ['repeatable'] : []),
    ...(flag.env ? [`env ${flag.env}${flag.envList ? ' (comma-separated)' : ''}`] : []),
    ...(flag.default ? [`default ${flag.default}`] : []),
  ];
  const [first = '', ...more] = [...wrap(flag.help), ...(from.length > 0 ? wrap(from.join(', ')) : [])];
  const indent = ' '.repeat(HELP_COLUMN);
  const head = left.length < HELP_COLUMN ? [left.padEnd(HELP_COLUMN) + first] : [left, indent + first];
  return [...head, ...more.map((l) => indent + l)];
}

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > HELP_WIDTH - HELP_COLUMN) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
