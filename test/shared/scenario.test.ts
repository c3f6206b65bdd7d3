// Scenario files: parsing (YAML/JSON), every kind of validation message, interpolation, step labels.
import { describe, expect, it } from 'vitest';
import {
  MAX_REPORTED_ERRORS,
  compileRegex,
  InterpolationError,
  checkScenarioText,
  describeExpectation,
  formatScenarioError,
  interpolate,
  interpolateDeep,
  interpolateKnown,
  interpolateKnownDeep,
  interpolateNumber,
  parseScenarioText,
  quoteAcceptedRefs,
  referencesIn,
  scenarioErrorsMessage,
  stepLabel,
  stepLabelWith,
  validateScenario,
  type ExpectationFields,
  type Step,
} from '../../shared';

/** The error lines of a scenario with these steps (after a listen srv and a connect cli, unless `bare`). */
function errorsOf(steps: unknown[], opts: { bare?: boolean; vars?: Record<string, unknown> } = {}): string[] {
  const prelude = opts.bare ? [] : [{ listen: { name: 'srv', port: 0 } }, { connect: { name: 'cli', to: 'srv' } }];
  const r = validateScenario({ name: 't', ...(opts.vars ? { vars: opts.vars } : {}), steps: [...prelude, ...steps] });
  return r.ok ? [] : r.errors.map(formatScenarioError);
}
/** The same, for one step placed at index 2. */
const errorOf = (step: unknown, opts: { vars?: Record<string, unknown> } = {}): string[] => errorsOf([step], opts);

const EXAMPLE = `
name: hello
description: the example
vars: { greeting: hello }
steps:
  - listen: { name: srv, port: 0 }
  - connect: { name: cli, to: srv }
  - send: { on: cli, data: "\${vars.greeting}" }
  - expect:
      on: srv.accepted[0]
      text: hello
      timeoutMs: 1000
  - reset: { on: cli }
  - expect: { on: "srv.accepted[0]", fault: ECONNRESET }
`;

describe('parseScenarioText', () => {
  it('reads YAML and JSON to the same value', () => {
    const yaml = parseScenarioText('name: x\nsteps:\n  - wait: 10\n');
    const json = parseScenarioText('{"name": "x", "steps": [{"wait": 10}]}');
    expect(yaml).toEqual({ ok: true, value: { name: 'x', steps: [{ wait: 10 }] } });
    expect(json).toEqual(yaml);
  });

  it('says line and column of a YAML error, and what is wrong with JSON', () => {
    expect(parseScenarioText('a: 1\na: 2\n')).toEqual({
      ok: false,
      errors: [{ path: 'source', message: 'not valid YAML: line 2, column 1: Map keys must be unique' }],
    });
    const json = parseScenarioText('{"name": }');
    expect(json.ok).toBe(false);
    if (!json.ok) expect(json.errors[0]!.message).toMatch(/^not valid JSON: /);
  });

  it('reads a bare srv.accepted[0] inside { } as the reference, not as a list', () => {
    const r = parseScenarioText('steps:\n  - expect: { on: srv.accepted[0], text: a }\n');
    expect(r).toEqual({ ok: true, value: { steps: [{ expect: { on: 'srv.accepted[0]', text: 'a' } }] } });
  });

  it('refuses a YAML alias bomb', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    expect(parseScenarioText(bomb).ok).toBe(false);
  });
});

describe('validateScenario', () => {
  it('accepts the example and hands back the typed scenario', () => {
    const r = checkScenarioText(EXAMPLE);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario.steps.map(stepLabel)).toHaveLength(6);
  });

  it('checks the top level: object, name, unknown fields, steps', () => {
    expect(validateScenario([1]).ok).toBe(false);
    expect(validateScenario('x')).toEqual({
      ok: false,
      errors: [{ path: '', message: 'a scenario is an object with a name and steps' }],
    });
    const r = validateScenario({ nmae: 'x', steps: [] });
    expect(r.ok ? [] : r.errors.map(formatScenarioError)).toEqual([
      'nmae: unknown field (expected one of name, description, lab, vars, cleanup, steps)',
      'name: is required',
      'steps: must have at least 1 item',
    ]);
    const noSteps = validateScenario({ name: 'x' });
    expect(noSteps.ok ? [] : noSteps.errors).toEqual([{ path: 'steps', message: 'is required' }]);
    const badVars = validateScenario({ name: 'x', vars: { 'a.b': 1, ok: true }, steps: [{ wait: 1 }] });
    expect(badVars.ok ? [] : badVars.errors.map((e) => e.path)).toEqual(['vars.a.b', 'vars.ok']);
  });

  it('each step holds exactly one known step key', () => {
    expect(errorsOf([{ lisen: { name: 'srv', port: 0 } }], { bare: true })).toEqual([
      'steps[0]: unknown step "lisen" (expected one of listen, connect, send, expect, shutdown, close, reset, pause, resume, framing, wait, assert)',
    ]);
    expect(errorsOf([{ reset: { on: 'cli' }, close: { on: 'cli' } }])).toEqual([
      'steps[2]: has 2 step keys (reset, close); give exactly one',
    ]);
    expect(errorsOf(['wait 10', {}])).toEqual([
      'steps[2]: must be an object with one step key, e.g. { listen: { name: srv, port: 0 } }',
      'steps[3]: must be an object with one step key, e.g. { listen: { name: srv, port: 0 } }',
    ]);
  });

  it('turns schema failures into step.kind.field paths with readable messages', () => {
    expect(errorOf({ listen: { name: 'x', port: 70000, prot: 1 } })).toEqual([
      'steps[2].listen.prot: unknown field (expected one of name, host, port, backlog, accept, framing, responders, fails)',
      'steps[2].listen.port: must be an integer from 0 to 65535',
    ]);
    expect(errorOf({ send: { data: 'x' } })).toEqual(['steps[2].send.on: is required']);
    expect(errorOf({ send: { on: 'cli', data: 'x', encoding: 'hexx' } })).toEqual([
      'steps[2].send.encoding: must be one of utf8, hex, base64, escaped',
    ]);
    expect(errorOf({ send: { on: 'cli', data: 'x', framing: { kind: 'delim' } } })).toEqual([
      'steps[2].send.framing.kind: must be one of length, delimiter, fixed, json-header',
    ]);
    expect(errorOf({ send: { on: 'cli', data: 'x', framing: { kind: 'length', bytes: 3 } } })).toEqual([
      'steps[2].send.framing.bytes: must be one of 1, 2, 4, 8',
    ]);
    expect(errorOf({ send: { on: 'cli', data: 'x', split: { writes: 0 } } })).toEqual([
      'steps[2].send.split.writes: must be an integer from 1 to 10000',
    ]);
    expect(errorOf({ connect: { name: 'c2', to: 'srv', timeoutMs: '5s' } })).toEqual([
      'steps[2].connect.timeoutMs: must be an integer or a "${...}" reference',
    ]);
    expect(errorOf({ wait: 70000 })).toEqual(['steps[2].wait: must be an integer from 0 to 60000']);
    expect(errorOf({ listen: { name: '2srv', port: 0 } })).toEqual([
      'steps[2].listen.name: must be a name: a letter or _, then letters, digits, _ or - (at most 64)',
    ]);
    expect(errorOf({ expect: { on: 'cli', state: 'opn' } })).toEqual([
      'steps[2].expect.state: must be one of connecting, open, half-closed-local, half-closed-remote, closed, failed',
    ]);
    expect(errorOf({ connect: { name: 'c2', to: 'srv', fails: 'refused' } })).toEqual([
      'steps[2].connect.fails: must be an errno code such as ECONNREFUSED',
    ]);
    expect(errorOf({ assert: { on: 'cli', state: { eqq: 'open' } } })).toEqual([
      'steps[2].assert.state.eqq: unknown field (expected one of eq, ne, gt, gte, lt, lte)',
    ]);
  });

  it('names must be defined by an earlier step, once', () => {
    expect(errorOf({ send: { on: 'clii', data: 'x' } })).toEqual([
      'steps[2].send.on: "clii" is not defined by an earlier step (known: srv, cli)',
    ]);
    expect(
      errorsOf([{ send: { on: 'cli', data: 'x' } }, { connect: { name: 'cli', to: 'srv' } }], { bare: true }),
    ).toEqual([
      'steps[0].send.on: "cli" is not defined by an earlier step (known: none)',
      'steps[1].connect.to: "srv" is not defined by an earlier step (known: none)',
    ]);
    expect(errorOf({ connect: { name: 'cli', to: 'srv' } })).toEqual([
      'steps[2].connect.name: "cli" is already bound by steps[1]; pick another name',
    ]);
    expect(errorOf({ send: { on: 'srv.accepted', data: 'x' } })).toEqual([
      'steps[2].send.on: "srv.accepted" is not a name nor LISTENER.accepted[N]',
    ]);
  });

  it('a listen that must fail binds nothing', () => {
    expect(
      errorsOf([{ listen: { name: 'again', port: '${srv.port}', fails: 'EADDRINUSE' } }, { close: { on: 'again' } }]),
    ).toEqual(['steps[3].close.on: "again" is not defined by an earlier step (known: srv, cli)']);
  });

  it('listener or connection, where it matters', () => {
    expect(errorOf({ expect: { on: 'srv', text: 'a' } })).toEqual([
      'steps[2].expect.on: "srv" is a listener; expect needs a connection (e.g. srv.accepted[0])',
    ]);
    expect(errorOf({ reset: { on: 'srv' } })).toEqual([
      'steps[2].reset.on: "srv" is a listener; reset needs a connection (e.g. srv.accepted[0])',
    ]);
    expect(errorOf({ shutdown: { on: 'cli.accepted[0]' } })).toEqual([
      'steps[2].shutdown.on: "cli" is a connection; only a listener has accepted[N]',
    ]);
    expect(errorOf({ connect: { name: 'c2', to: 'cli' } })).toEqual([
      'steps[2].connect.to: "cli" is a connection; to needs a listener name',
    ]);
    expect(errorOf({ assert: { on: 'srv', bytesIn: 1 } })).toEqual([
      'steps[2].assert.bytesIn: a listener has no bytesIn (it has state, tcpState, recvQ, sendQ, accepted, fault)',
    ]);
    expect(errorOf({ assert: { on: 'cli', accepted: 1 } })[0]).toMatch(
      /^steps\[2\]\.assert\.accepted: a connection has no accepted/,
    );
    expect(errorOf({ assert: { on: 'srv', messages: { count: 1 } } })).toEqual([
      'steps[2].assert.messages: a listener has no messages; check one of its accepted connections',
    ]);
    // Allowed: close and framing on a listener; send on one (it fails at run time with ENOTCONN).
    expect(
      errorsOf([
        { framing: { on: 'srv', rule: null } },
        { send: { on: 'srv', data: 'x', fails: 'ENOTCONN' } },
        { close: { on: 'srv' } },
      ]),
    ).toEqual([]);
  });

  it('step rules a schema cannot say', () => {
    expect(errorOf({ expect: { on: 'cli', text: 'a', bytes: 3 } })).toEqual([
      'steps[2].expect: give exactly one of bytes, text, regex, message, state, tcpState, fault',
    ]);
    expect(errorOf({ expect: { on: 'cli' } })).toEqual([
      'steps[2].expect: give exactly one of bytes, text, regex, message, state, tcpState, fault',
    ]);
    expect(errorOf({ expect: { on: 'cli', regex: '(' } })[0]).toMatch(
      /^steps\[2\]\.expect\.regex: not a valid regex \(RE2 syntax\): missing closing \)/,
    );
    // The server's words, for a pattern RE2 cannot run: the file fails its check, not the run.
    const backReference =
      'back-references (\\1) are not supported: sockscope runs patterns in linear time (RE2 syntax) so no peer input can stall it';
    expect(errorOf({ expect: { on: 'cli', regex: '(a)\\1' } })).toEqual([`steps[2].expect.regex: ${backReference}`]);
    expect(
      errorOf({
        listen: {
          name: 'l2',
          port: 0,
          responders: { rules: [{ match: { equals: 'x' } }, { match: { regex: '(a)\\1' } }] },
        },
      }),
    ).toEqual([`steps[2].listen.responders.rules[1].match.regex: ${backReference}`]);
    // And for a pattern too large to match in bounded time: the server's words, at the step's field.
    const tooLarge = compileRegex('\\w{500}\\W');
    expect(tooLarge.ok).toBe(false);
    const largeWords = tooLarge.ok ? '' : tooLarge.message;
    expect(largeWords).toMatch(/^patterns larger than \d+ RE2 instructions are not supported \(this one has 503:/);
    expect(errorOf({ expect: { on: 'cli', regex: '\\w{500}\\W' } })).toEqual([`steps[2].expect.regex: ${largeWords}`]);
    expect(
      errorOf({ listen: { name: 'l2', port: 0, responders: { rules: [{ match: { regex: '\\w{500}\\W' } }] } } }),
    ).toEqual([`steps[2].listen.responders.rules[0].match.regex: ${largeWords}`]);
    expect(errorOf({ connect: { name: 'c2' } })).toEqual([
      'steps[2].connect: give to (a listener name) or port (and host)',
    ]);
    expect(errorOf({ connect: { name: 'c2', to: 'srv', port: 80 } })).toEqual([
      'steps[2].connect: give either to (a listener name) or host/port, not both',
    ]);
    expect(errorOf({ connect: { name: 'c2', port: 1, wait: false, fails: 'ECONNREFUSED' } })).toEqual([
      'steps[2].connect.fails: needs wait: true (the step must see how the connect ends)',
    ]);
    expect(errorOf({ assert: { on: 'cli' } })[0]).toMatch(
      /^steps\[2\]\.assert: give at least one field to check \(state, /,
    );
    expect(errorOf({ send: { on: 'cli', data: 'zz', encoding: 'hex' } })[0]).toMatch(/^steps\[2\]\.send\.data: /);
    expect(errorOf({ framing: { on: 'cli', rule: { kind: 'delimiter', delimiter: '\\q' } } })[0]).toMatch(
      /^steps\[2\]\.framing\.rule: delimiter: /,
    );
  });

  it('${...} references: vars, fields of earlier names, nothing else', () => {
    expect(errorOf({ send: { on: 'cli', data: '${vars.x} ${vars.nope}' } }, { vars: { x: 1 } })).toEqual([
      'steps[2].send.data: ${vars.nope}: no var "nope" (vars: x)',
    ]);
    expect(errorOf({ send: { on: 'cli', data: '${srv.prt}' } })).toEqual([
      'steps[2].send.data: ${srv.prt}: a listener has no "prt" (use port, host)',
    ]);
    expect(errorOf({ send: { on: 'cli', data: '${cli.localPort} ${srv.port} ${srv.host}' } })).toEqual([]);
    expect(errorOf({ send: { on: 'cli', data: '${later.port}' } })).toEqual([
      'steps[2].send.data: ${later.port}: "later" is not defined by an earlier step (known: srv, cli)',
    ]);
    expect(errorOf({ send: { on: 'cli', data: '${port}' } })).toEqual([
      'steps[2].send.data: ${port} is not a reference: use ${NAME.port}, ${NAME.host}, ${NAME.localPort} or ${vars.NAME}',
    ]);
    expect(
      errorOf({ listen: { name: 's2', port: 0, responders: { rules: [{ reply: { data: '${nope.port}' } }] } } }),
    ).toEqual([
      'steps[2].listen.responders.rules[0].reply.data: ${nope.port}: "nope" is not defined by an earlier step (known: srv, cli)',
    ]);
  });

  it('reports at most MAX_REPORTED_ERRORS errors, then says how many more', () => {
    const steps = Array.from({ length: MAX_REPORTED_ERRORS + 5 }, () => ({ wiat: 1 }));
    const r = validateScenario({ name: 'many', steps });
    expect(r.ok ? [] : r.errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(r.ok ? null : r.errors.at(-1)).toEqual({ path: '', message: '... and 5 more errors' });
  });

  it('the BAD_SCENARIO message: one error as is, several under a count', () => {
    const one = [{ path: 'steps[0]', message: 'x' }];
    expect(scenarioErrorsMessage(one)).toBe('steps[0]: x');
    expect(scenarioErrorsMessage([...one, { path: 'name', message: 'is required' }])).toBe(
      'the scenario has 2 errors:\nsteps[0]: x\nname: is required',
    );
  });
});

describe('interpolation', () => {
  const vars = { 'srv.port': 41233, 'srv.host': '127.0.0.1', 'vars.greeting': 'hello' };

  it('replaces every reference in a string', () => {
    expect(interpolate('${srv.host}:${ srv.port } says ${vars.greeting}', vars)).toBe('127.0.0.1:41233 says hello');
    expect(interpolate('no references', vars)).toBe('no references');
    expect(referencesIn('${a.b} and ${ c.d }')).toEqual(['a.b', 'c.d']);
  });

  it('walks objects and arrays, leaving other values alone', () => {
    expect(interpolateDeep({ a: ['${vars.greeting}', 3, null], b: { c: '${srv.port}' }, d: true }, vars)).toEqual({
      a: ['hello', 3, null],
      b: { c: '41233' },
      d: true,
    });
  });

  it('a number field reads the interpolated text as a number', () => {
    expect(interpolateNumber('${srv.port}', vars)).toBe(41233);
    expect(interpolateNumber(80, vars)).toBe(80);
    expect(() => interpolateNumber('${vars.greeting}', vars)).toThrow('"${vars.greeting}" is "hello", not a number');
  });

  it('for labels: the known references are replaced, the others stay as written', () => {
    expect(interpolateKnown('${srv.host}:${ srv.port } from ${cli.localPort}', vars)).toBe(
      '127.0.0.1:41233 from ${cli.localPort}',
    );
    expect(interpolateKnownDeep({ a: ['${vars.greeting}', '${vars.nope}'], n: 1 }, vars)).toEqual({
      a: ['hello', '${vars.nope}'],
      n: 1,
    });
  });

  it('an unknown reference throws InterpolationError listing what is known', () => {
    expect(() => interpolate('${cli.port}', vars)).toThrow(InterpolationError);
    expect(() => interpolate('${cli.port}', vars)).toThrow(
      '${cli.port} is not known here (known: srv.port, srv.host, vars.greeting)',
    );
  });
});

describe('stepLabel', () => {
  it('says the step in one line', () => {
    const labels = (
      [
        { listen: { name: 'srv', port: 0 } },
        { listen: { name: 'again', port: '${srv.port}', fails: 'EADDRINUSE' } },
        { connect: { name: 'cli', to: 'srv', wait: false } },
        { send: { on: 'cli', data: '0a0b', encoding: 'hex', split: { writes: 2 }, repeat: { count: 3 } } },
        { expect: { on: 'srv.accepted[0]', direction: 'out', regex: 'a+' } },
        { expect: { on: 'cli', message: { framing: { kind: 'delimiter', delimiter: '\\n' }, count: 2 } } },
        { framing: { on: 'cli', rule: null } },
        { wait: 200 },
        { assert: { on: 'cli', state: 'open', recvQ: { gt: 0 }, fault: { in: [null, 'ECONNRESET'] } } },
        { pause: { on: 'cli' } },
      ] as Step[]
    ).map(stepLabel);
    expect(labels).toEqual([
      'listen srv',
      'listen again on 127.0.0.1:${srv.port} fails EADDRINUSE',
      'connect cli -> srv (no wait)',
      'send cli hex "0a0b" in 2 writes x3',
      'expect srv.accepted[0] out regex /a+/',
      'expect cli 2 messages (delimiter \\n)',
      'framing cli none',
      'wait 200 ms',
      'assert cli state open, recvQ gt 0, fault in [null, ECONNRESET]',
      'pause cli',
    ]);
  });
});

describe('describeExpectation', () => {
  it('one wording for the step label and the 408 an expect answers', () => {
    const framing = { kind: 'delimiter', delimiter: '\\n' } as const;
    const cases: [ExpectationFields, string][] = [
      [{ bytes: 3 }, '3 bytes'],
      [{ bytes: 1 }, '1 byte'],
      [{ bytes: '${vars.n}' }, '${vars.n} bytes'],
      [{ text: 'hello\r\n' }, 'text "hello\\r\\n"'],
      [{ regex: '\\d+' }, 'regex /\\d+/'],
      [{ message: { framing } }, '1 message (delimiter \\n)'],
      [{ message: { framing, count: 2 } }, '2 messages (delimiter \\n)'],
      [{ state: 'closed' }, 'state closed'],
      [{ tcpState: 'TIME_WAIT' }, 'tcpState TIME_WAIT'],
      [{ fault: 'ECONNRESET' }, 'fault ECONNRESET'],
    ];
    for (const [fields, words] of cases) {
      expect(describeExpectation(fields)).toBe(words);
      expect(stepLabel({ expect: { on: 'cli', ...fields } } as Step)).toBe(`expect cli ${words}`);
    }
  });
});

describe('stepLabelWith', () => {
  const vars = { 'srv.port': 41233, 'srv.host': '127.0.0.1', 'vars.one': 'hello', 'vars.ms': 250 };

  it('shows the values a run knows, the rest as templates; stepLabel keeps the templates', () => {
    const steps = [
      { connect: { name: 'cli', host: '${srv.host}', port: '${srv.port}' } },
      { connect: { name: 'cli', port: '${srv.port}' } },
      { send: { on: 'cli', data: '${vars.one}', split: { writes: 3 } } },
      { send: { on: 'cli', data: '${cli.localPort}' } },
      { listen: { name: 'again', port: '${srv.port}' } },
      { wait: '${vars.ms}' },
    ] as Step[];
    expect(steps.map((s) => stepLabelWith(s, vars))).toEqual([
      'connect cli -> 127.0.0.1:41233',
      'connect cli -> 127.0.0.1:41233',
      'send cli "hello" in 3 writes',
      'send cli "${cli.localPort}"',
      'listen again on 127.0.0.1:41233',
      'wait 250 ms',
    ]);
    expect(steps.map(stepLabel).slice(0, 3)).toEqual([
      'connect cli -> ${srv.host}:${srv.port}',
      'connect cli -> 127.0.0.1:${srv.port}',
      'send cli "${vars.one}" in 3 writes',
    ]);
  });

  it('an interpolated port 0 still reads as any port', () => {
    expect(stepLabelWith({ listen: { name: 'srv', port: '${vars.port}' } }, { 'vars.port': 0 })).toBe('listen srv');
  });
});

describe("the issue's own example, with a bare srv.accepted[0] inside { }", () => {
  const text = [
    'name: hello',
    'steps:',
    '  - listen: { name: srv, port: 0 }',
    '  - connect: { name: cli, to: srv }        # or host/port',
    '  - send: { on: cli, data: "hello" }        # encoding, framing as in the REST API',
    '  - expect: { on: srv.accepted[0], text: "hello", timeoutMs: 1000 }',
    '  - reset: { on: cli }',
    '  - expect: { on: srv.accepted[0], fault: ECONNRESET }',
  ].join('\n');

  it('parses and validates as written', () => {
    const checked = checkScenarioText(text);
    expect(checked.ok).toBe(true);
  });

  it('leaves references inside quoted strings and comments alone', () => {
    expect(quoteAcceptedRefs(`  - send: { on: srv.accepted[1], data: 'srv.accepted[0]' } # srv.accepted[2]`)).toBe(
      `  - send: { on: "srv.accepted[1]", data: 'srv.accepted[0]' } # srv.accepted[2]`,
    );
  });
});
