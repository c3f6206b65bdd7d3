// One argv parser (node:util parseArgs) for the server's flags and the CLI's, each table also writing its help.
import { describe, expect, it } from 'vitest';
import { flagHelp, readFlags, UsageError, type Flag } from '../../../backend/cli/flags';
import { HELP, parseArgs } from '../../../backend/cli/args';
import { parseConfig, SERVER_FLAGS } from '../../../backend/config';

const TABLE = [
  { name: 'port', value: 'N', env: 'X_PORT', default: '7070', help: 'the port' },
  { name: 'tag', value: 'T', repeatable: true, env: 'X_TAGS', envList: true, help: 'a tag' },
  { name: 'a-rather-long-flag-name', value: 'VALUE', help: 'wraps onto the next line' },
  { name: 'keep', help: 'a switch' },
  { name: 'help', short: 'h', help: 'this text' },
] as const satisfies readonly Flag[];

const usageError = (args: string[], positionals = false): string => {
  try {
    readFlags(args, TABLE, { positionals });
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(args)}`);
};

describe('readFlags', () => {
  it('takes --name value and --name=value, keeps every value in order, and short switches', () => {
    const flags = readFlags(['--port', '1', '--tag=a', '--tag', 'b', '-h', '--keep', '--port=2'], TABLE);
    expect(flags.all('tag')).toEqual(['a', 'b']);
    expect(flags.last('port')).toBe('2');
    expect(flags.all('port')).toEqual(['1', '2']);
    expect([flags.has('help'), flags.has('keep'), flags.has('tag')]).toEqual([true, true, true]);
    expect(flags.has('a-rather-long-flag-name')).toBe(false);
    expect(flags.last('a-rather-long-flag-name')).toBeUndefined();
  });

  it('gives a value flag the next argument even when it starts with "-" (its own check then judges it)', () => {
    // parseArgs' strict mode would refuse these as "ambiguous" before our checks could name the problem.
    expect(readFlags(['--port', '-1'], TABLE).last('port')).toBe('-1');
    expect(readFlags(['--port', '--keep'], TABLE).last('port')).toBe('--keep');
    expect(readFlags(['--port='], TABLE).last('port')).toBe('');
  });

  it('refuses, in our words and naming the argument as typed, what strict parsing refuses', () => {
    expect(usageError(['--prot', '1'])).toBe('unknown argument "--prot"');
    expect(usageError(['--prot=1'])).toBe('unknown argument "--prot=1"');
    expect(usageError(['-hx'])).toBe('unknown argument "-hx"');
    expect(usageError(['-5'])).toBe('unknown argument "-5"');
    expect(usageError(['--keep', 'stray'])).toBe('unknown argument "stray"');
    expect(usageError(['--port'])).toBe('--port needs a value');
    expect(usageError(['--keep=yes'])).toBe('--keep takes no value');
    expect(usageError(['x', '--nope'], true)).toBe('unknown argument "--nope"');
  });

  it('takes positionals where allowed, "--" letting one start with "-"', () => {
    const flags = readFlags(['one', '--keep', '--', '-two', '--port'], TABLE, { positionals: true });
    expect(flags.positionals).toEqual(['one', '-two', '--port']);
    expect(flags.has('port')).toBe(false);
  });
});

describe('flagHelp', () => {
  it('writes each flag with its value, where else it comes from and its default, a long one on two lines', () => {
    expect(flagHelp(TABLE).split('\n')).toEqual([
      '  --port N              the port',
      '                        env X_PORT, default 7070',
      '  --tag T               a tag',
      '                        repeatable, env X_TAGS (comma-separated)',
      '  --a-rather-long-flag-name VALUE',
      '                        wraps onto the next line',
      '  --keep                a switch',
      '  -h, --help            this text',
    ]);
  });
});

describe('the server flags (sockscope serve, npm start --, npm run serve --, tsx backend/server.ts)', () => {
  type Name = (typeof SERVER_FLAGS)[number]['name'];
  // Every flag of the table, with a value it takes: a flag added without one here fails the type check.
  const SAMPLES: Record<Exclude<Name, 'help' | 'version'>, string> = {
    port: '0',
    host: 'localhost',
    token: 'abcdefghijklmnop1234',
    'allow-host': 'box.lan',
    'deny-target': '10.0.0.0/8',
    'allow-target': '169.254.169.254',
    limit: 'maxConnections=5',
    'max-connections': '6',
    'max-listeners': '7',
    'capture-bytes': '8k',
    'max-http-connections': '9',
    'max-stream-clients': '10',
    'log-level': 'info',
  };

  it('accepts every flag of the table as --name value and --name=value, and --help lists each with its variable', () => {
    for (const [name, value] of Object.entries(SAMPLES)) {
      expect(parseConfig([`--${name}`, value], {}).kind, name).toBe('run');
      expect(parseConfig([`--${name}=${value}`], {}).kind, name).toBe('run');
    }
    const help = parseConfig(['-h'], {});
    if (help.kind !== 'help') throw new Error('no help');
    for (const flag of SERVER_FLAGS as readonly Flag[]) {
      expect(help.text).toContain(`--${flag.name}`);
      if (flag.env) expect(help.text).toContain(`env ${flag.env}`);
    }
    expect(parseConfig(['-v'], {}).kind).toBe('version');
  });

  it('says what is wrong in one line: an unknown flag, a negative port, a missing value', () => {
    expect(parseConfig(['--port', '0', '--bogus=1'], {})).toEqual({
      kind: 'error',
      message: 'unknown argument "--bogus=1"',
    });
    expect(parseConfig(['--port', '-1'], {})).toEqual({
      kind: 'error',
      message: '--port must be an integer 0..65535, got "-1"',
    });
    expect(parseConfig(['--max-connections', '-5'], {})).toMatchObject({
      message: expect.stringMatching(/^--max-connections: maxConnections must be an integer >= 1/),
    });
    expect(parseConfig(['--log-level'], {})).toEqual({ kind: 'error', message: '--log-level needs a value' });
    expect(parseConfig(['0'], {})).toEqual({ kind: 'error', message: 'unknown argument "0"' });
  });
});

describe('the CLI command line', () => {
  it('reads run and lab flags in either form, with "--" before a file name that starts with "-"', () => {
    expect(parseArgs(['run', '--json', '--', '-odd.yaml'], {})).toMatchObject({
      kind: 'run',
      file: '-odd.yaml',
      target: { json: true },
    });
    expect(parseArgs(['run', 'a.yaml', '--url=http://127.0.0.1:1', '--cleanup', 'reset', '--json'], {})).toEqual({
      kind: 'run',
      file: 'a.yaml',
      target: { url: 'http://127.0.0.1:1', token: undefined, keep: false, cleanup: 'reset', json: true },
    });
    expect(parseArgs(['lab', '--list', '-h'], {})).toEqual({ kind: 'help' });
    expect(parseArgs(['lab', 'x'], { SOCKSCOPE_URL: 'http://h:1', SOCKSCOPE_TOKEN: '' })).toMatchObject({
      target: { url: 'http://h:1', token: undefined },
    });
  });

  it('refuses an unknown flag, a missing or empty value, a value given to a switch', () => {
    expect(parseArgs(['run', 'a.yaml', '--jsn'], {})).toEqual({ kind: 'error', message: 'unknown argument "--jsn"' });
    expect(parseArgs(['run', 'a.yaml', '--url'], {})).toEqual({ kind: 'error', message: '--url needs a value' });
    expect(parseArgs(['run', 'a.yaml', '--url='], {})).toEqual({ kind: 'error', message: '--url needs a value' });
    expect(parseArgs(['run', 'a.yaml', '--json=1'], {})).toEqual({ kind: 'error', message: '--json takes no value' });
  });

  it("hands serve's arguments over untouched, to the server's own parser", () => {
    expect(parseArgs(['serve', '--port', '0', '--help'], {})).toEqual({
      kind: 'serve',
      args: ['--port', '0', '--help'],
    });
  });

  it('lists every run and lab flag in --help', () => {
    for (const flag of ['--url URL', '--token T', '--keep', '--cleanup MODE', '--json', '--list', '-h, --help'])
      expect(HELP).toContain(`  ${flag} `);
    expect(HELP).toContain('env SOCKSCOPE_URL');
  });
});
