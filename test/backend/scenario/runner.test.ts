// runScenario against a real inspector and real loopback sockets: passing runs, failures, skipped steps, cleanup.
import { describe, expect, it } from 'vitest';
import { checkScenarioText, type InspectorEvent, type RunResult, type Scenario } from '../../../shared';
import { runScenario } from '../../../backend/scenario/runner';
import { MAX_CONCURRENT_RUNS } from '../../../backend/scenario/run-registry';
import { refusedPort } from '../../helpers/loopback';
import { useInspector } from '../../helpers/inspector-fixture';

const fx = useInspector();

function scenario(text: string): Scenario {
  const r = checkScenarioText(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

const HELLO = `
name: hello
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
  - expect: { on: "srv.accepted[0]", fault: ECONNRESET, timeoutMs: 2000 }
`;

/** After the run every socket it opened is closed: no listener listening, no connection alive. */
function assertNothingLeft(result: RunResult): void {
  const { listeners, connections } = fx.inspector.sockets();
  expect(listeners.filter((l) => l.session === result.session).map((l) => l.state)).not.toContain('listening');
  for (const c of connections.filter((c) => c.session === result.session))
    expect(['closed', 'failed']).toContain(c.state);
  expect(fx.inspector.getSession(result.session!).closedAt).not.toBeNull();
}

const scenarioEvents = (): InspectorEvent[] =>
  fx.inspector.events({ limit: 10_000 }).events.filter((e) => e.type.startsWith('scenario/'));

describe('runScenario', () => {
  it('runs the example: every step ok, vars bound, events emitted, the session closed', async () => {
    const result = await runScenario(fx.inspector, scenario(HELLO));
    expect(result.status, JSON.stringify(result.steps, null, 1)).toBe('passed');
    expect(result.id).toMatch(/^r-[0-9]+$/);
    expect(result.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(result.steps.map((s) => s.label)).toEqual([
      'listen srv',
      'connect cli -> srv',
      'send cli "hello"',
      'expect srv.accepted[0] text "hello"',
      'reset cli',
      'expect srv.accepted[0] fault ECONNRESET',
    ]);
    expect(result.steps[0]!.message).toMatch(/^127\.0\.0\.1:[0-9]+$/);
    expect(result.vars['srv.port']).toBe(Number(result.steps[0]!.message!.split(':')[1]));
    expect(result.vars['cli.port']).toBe(result.vars['srv.port']);
    expect(typeof result.vars['cli.localPort']).toBe('number');
    expect(result.vars['vars.greeting']).toBe('hello');
    expect(result.failedStep).toBeNull();
    assertNothingLeft(result);

    const events = scenarioEvents();
    expect(events[0]).toMatchObject({ type: 'scenario/run', id: result.id, status: 'running', steps: 6 });
    expect(events.at(-1)).toMatchObject({ type: 'scenario/run', id: result.id, status: 'passed', failedStep: null });
    const steps = events.filter((e) => e.type === 'scenario/step');
    expect(steps.map((e) => (e.type === 'scenario/step' ? `${e.step}:${e.status}` : ''))).toEqual(
      [0, 1, 2, 3, 4, 5].flatMap((i) => [`${i}:running`, `${i}:ok`]),
    );
  });

  it('a wrong expectation fails naming the step, what was expected and what arrived; later steps are skipped', async () => {
    const wrong = HELLO.replace('text: hello', 'text: hellp');
    const result = await runScenario(fx.inspector, scenario(wrong));
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe(3);
    expect(result.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'failed', 'skipped', 'skipped']);
    const failed = result.steps[3]!;
    expect(failed.label).toBe('expect srv.accepted[0] text "hellp"');
    expect(failed.message).toMatch(/^expected text "hellp" on c-[0-9]+ \(in\) within 1000 ms; .*5 bytes.*"hello"/);
    expect(failed.elapsedMs).toBeGreaterThanOrEqual(900);
    assertNothingLeft(result);
    expect(scenarioEvents().at(-1)).toMatchObject({ type: 'scenario/run', status: 'failed', failedStep: 3 });
  });

  it('fails: an expected errno makes the step pass (refused connect, EADDRINUSE, send on a listener)', async () => {
    const port = await refusedPort();
    const result = await runScenario(
      fx.inspector,
      scenario(`
name: errnos
steps:
  - connect: { name: nope, port: ${port}, fails: ECONNREFUSED }
  - assert: { on: nope, state: failed, fault: ECONNREFUSED }
  - listen: { name: srv, port: 0 }
  - listen: { name: again, port: "\${srv.port}", fails: EADDRINUSE }
  - send: { on: srv, data: x, fails: ENOTCONN }
  - connect: { name: cli, host: "\${srv.host}", port: "\${srv.port}" }
  - shutdown: { on: cli }
  - send: { on: cli, data: late, fails: EPIPE }
  - assert: { on: srv, state: listening, accepted: { gte: 1 } }
`),
    );
    expect(result.status, JSON.stringify(result.steps, null, 1)).toBe('passed');
    assertNothingLeft(result);
  });

  it('labels show the values known when the step starts, in the result and in the step events', async () => {
    const result = await runScenario(
      fx.inspector,
      scenario(`
name: labels
vars: { one: hey }
steps:
  - listen: { name: srv, port: 0, accept: echo }
  - connect: { name: cli, host: "\${srv.host}", port: "\${srv.port}" }
  - send: { on: cli, data: "\${vars.one}", split: { writes: 3 } }
  - close: { on: srv }
  - listen: { name: back, port: "\${srv.port}" }
  - expect: { on: cli, text: nope, timeoutMs: 100 }
  - connect: { name: late, port: "\${back.port}" }
  - send: { on: late, data: "\${late.localPort}" }
`),
    );
    expect(result.failedStep, JSON.stringify(result.steps, null, 1)).toBe(5);
    const port = result.vars['srv.port'];
    expect(result.steps.map((s) => s.label)).toEqual([
      'listen srv (echo)',
      `connect cli -> 127.0.0.1:${port}`,
      'send cli "hey" in 3 writes',
      'close srv',
      `listen back on 127.0.0.1:${port}`,
      'expect cli text "nope"',
      // Skipped: what is known is filled in, the rest stays a template.
      `connect late -> 127.0.0.1:${port}`,
      'send late "${late.localPort}"',
    ]);
    // Port 0: the message says where it bound; a given port is in the label already.
    expect(result.steps[0]!.message).toBe(`127.0.0.1:${port}`);
    expect(result.steps[4]!.message).toBeNull();
    const labels = scenarioEvents().flatMap((e) => (e.type === 'scenario/step' ? [`${e.step}:${e.label}`] : []));
    expect(labels).toEqual(result.steps.slice(0, 6).flatMap((s) => [`${s.index}:${s.label}`, `${s.index}:${s.label}`]));
  });

  it('an errno that does not happen fails the step and says what happened instead', async () => {
    const result = await runScenario(
      fx.inspector,
      scenario(`
name: not refused
steps:
  - listen: { name: srv, port: 0 }
  - connect: { name: cli, to: srv, fails: ECONNREFUSED }
`),
    );
    expect(result.steps[1]).toMatchObject({ status: 'failed' });
    expect(result.steps[1]!.message).toMatch(/^expected ECONNREFUSED, but c-[0-9]+ is open|connected/);
  });

  it('assert names field, expected and actual', async () => {
    const result = await runScenario(
      fx.inspector,
      scenario(`
name: asserts
steps:
  - listen: { name: srv, port: 0, accept: echo }
  - connect: { name: cli, to: srv }
  - send: { on: cli, data: "a\\n", encoding: escaped }
  - expect: { on: cli, text: "a" }
  - assert: { on: cli, bytesIn: 2, bytesOut: { in: [2, 3] }, messages: { framing: { kind: delimiter, delimiter: "\\\\n" }, count: 1 } }
  - assert: { on: cli, state: closed, bytesIn: { gt: 5 } }
  - wait: 10
`),
    );
    expect(
      result.steps.map((s) => s.status),
      JSON.stringify(result.steps, null, 1),
    ).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'failed', 'skipped']);
    expect(result.steps[5]!.message).toMatch(/state: expected closed, got open; bytesIn: expected gt 5, got 2/);
  });

  it('keep leaves the sockets open in their session', async () => {
    const result = await runScenario(
      fx.inspector,
      scenario('name: kept\nsteps:\n  - listen: { name: srv, port: 0 }\n  - connect: { name: cli, to: srv }\n'),
      { keep: true },
    );
    expect(result.status).toBe('passed');
    const { connections, listeners } = fx.inspector.sockets();
    expect(listeners.find((l) => l.session === result.session)?.state).toBe('listening');
    expect(connections.filter((c) => c.session === result.session && c.state === 'open')).toHaveLength(2);
    await fx.inspector.closeSession(result.session!);
  });

  it('an abort stops the run: the current step fails, the rest are skipped, the session is closed', async () => {
    const stop = new AbortController();
    const running = runScenario(
      fx.inspector,
      scenario('name: long\nsteps:\n  - listen: { name: srv, port: 0 }\n  - wait: 30000\n  - close: { on: srv }\n'),
      { signal: stop.signal },
    );
    await fx.until((e): e is InspectorEvent => e.type === 'scenario/step' && e.step === 1 && e.status === 'running');
    stop.abort();
    const result = await running;
    expect(result.steps.map((s) => s.status)).toEqual(['ok', 'failed', 'skipped']);
    expect(result.steps[1]!.message).toBe('stopped: the client went away');
    assertNothingLeft(result);
  });

  it(`at most ${MAX_CONCURRENT_RUNS} runs at once: one more is refused with LIMIT_REACHED`, async () => {
    const stop = new AbortController();
    const slow = scenario('name: slow\nsteps:\n  - wait: 30000\n');
    const runs = Array.from({ length: MAX_CONCURRENT_RUNS }, () =>
      runScenario(fx.inspector, slow, { signal: stop.signal }),
    );
    await expect(runScenario(fx.inspector, slow)).rejects.toMatchObject({ code: 'LIMIT_REACHED', statusCode: 429 });
    stop.abort();
    const results = await Promise.all(runs);
    expect(new Set(results.map((r) => r.id)).size).toBe(MAX_CONCURRENT_RUNS);
    expect((await runScenario(fx.inspector, scenario('name: after\nsteps:\n  - wait: 0\n'))).status).toBe('passed');
  });
});
