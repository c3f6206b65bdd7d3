// POST /api/scenarios/validate and /run over a real port: results checked against the shared schemas, runs seen live.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { ApiErrorSchema, RunResultSchema, ScenarioCheckReplySchema, type StreamFrame } from '../../../shared';
import { startApp, type StartedApp } from '../../helpers/app';

const runResult = Compile(RunResultSchema);
const checkReply = Compile(ScenarioCheckReplySchema);
const apiError = Compile(ApiErrorSchema);

const HELLO = `
name: hello
steps:
  - listen: { name: srv, port: 0 }
  - connect: { name: cli, to: srv }
  - send: { on: cli, data: hello }
  - expect:
      on: srv.accepted[0]
      text: hello
      timeoutMs: 1000
  - reset: { on: cli }
`;
const BROKEN = `
name: broken
steps:
  - listen: { name: srv, port: 0 }
  - lisen: { name: x }
  - send: { on: clii, data: hi }
`;

let s: StartedApp;
beforeEach(async () => {
  s = await startApp({ uiDir: null });
});
afterEach(async () => {
  await s.close();
});

describe('POST /api/scenarios/validate', () => {
  it('answers ok with the name and step count for a good file', async () => {
    const r = await s.api('POST', '/api/scenarios/validate', { source: HELLO });
    expect(r.status).toBe(200);
    expect(checkReply.Check(r.json)).toBe(true);
    expect(r.json).toEqual({ ok: true, name: 'hello', steps: 5, errors: [] });
  });

  it('lists every error with its path, without running anything', async () => {
    const r = await s.api('POST', '/api/scenarios/validate', { source: BROKEN });
    expect(r.status).toBe(200);
    expect(checkReply.Check(r.json)).toBe(true);
    expect(r.json).toMatchObject({ ok: false, name: 'broken', steps: 3 });
    expect(r.json.errors).toEqual([
      { path: 'steps[1]', message: expect.stringMatching(/^unknown step "lisen" \(expected one of listen, connect/) },
      { path: 'steps[2].send.on', message: '"clii" is not defined by an earlier step (known: srv)' },
    ]);
    expect((await s.api('GET', '/api/sockets')).json.listeners).toEqual([]);
  });

  it('reports a YAML syntax error at path "source" with line and column', async () => {
    const r = await s.api('POST', '/api/scenarios/validate', { source: 'name: x\nsteps: [\n  - a' });
    expect(r.json.ok).toBe(false);
    expect(r.json.errors[0]).toMatchObject({ path: 'source', message: expect.stringMatching(/^not valid YAML: line/) });
  });
});

describe('POST /api/scenarios/run', () => {
  it('runs YAML source: 200 RunResult once it ends, the steps live on the stream, nothing left open', async () => {
    const stream = await s.stream();
    const r = await s.api('POST', '/api/scenarios/run', { source: HELLO });
    expect(r.status).toBe(200);
    expect(runResult.Check(r.json), JSON.stringify(r.json)).toBe(true);
    expect(r.json).toMatchObject({ scenario: 'hello', lab: null, status: 'passed', failedStep: null });
    expect(r.json.steps).toHaveLength(5);

    const ended = (f: StreamFrame) => f.type === 'scenario/run' && f.id === r.json.id && f.status === 'passed';
    await stream.waitFor(ended);
    const stepEvents = stream.events.filter((e) => e.type === 'scenario/step' && e.id === r.json.id);
    expect(stepEvents).toHaveLength(10);

    const { connections, listeners } = (await s.api('GET', '/api/sockets')).json;
    expect(listeners.every((l: { state: string }) => l.state !== 'listening')).toBe(true);
    expect(connections.every((c: { state: string }) => c.state === 'closed' || c.state === 'failed')).toBe(true);
    const report = await s.api('GET', `/api/sessions/${r.json.session}/report`);
    expect(report.json).toMatchObject({ name: 'hello', closedAt: expect.any(Number), listeners: 1 });
  });

  it('runs a JSON object; a failing step still answers 200, with status failed and the reason', async () => {
    const scenario = {
      name: 'json',
      steps: [
        { listen: { name: 'srv', port: 0 } },
        { connect: { name: 'cli', to: 'srv' } },
        { expect: { on: 'srv.accepted[0]', text: 'never', timeoutMs: 200 } },
        { close: { on: 'cli' } },
      ],
    };
    const r = await s.api('POST', '/api/scenarios/run', { scenario });
    expect(r.status).toBe(200);
    expect(runResult.Check(r.json)).toBe(true);
    expect(r.json).toMatchObject({ status: 'failed', failedStep: 2 });
    expect(r.json.steps[2].message).toMatch(/^expected text "never" on c-[0-9]+ \(in\) within 200 ms/);
    expect(r.json.steps[3]).toMatchObject({ status: 'skipped' });
  });

  it('keep: true leaves the session open', async () => {
    const r = await s.api('POST', '/api/scenarios/run', {
      source: HELLO.replace(/\n {2}- reset.*\n/, '\n'),
      keep: true,
    });
    expect(r.json.status).toBe('passed');
    const session = await s.api('GET', `/api/sessions/${r.json.session}`);
    expect(session.json.closedAt).toBeNull();
    expect((await s.api('DELETE', `/api/sessions/${r.json.session}`)).status).toBe(200);
  });

  it('400 BAD_SCENARIO: field is the first error path, the message lists them all, nothing runs', async () => {
    const r = await s.api('POST', '/api/scenarios/run', { source: BROKEN });
    expect(r.status).toBe(400);
    expect(apiError.Check(r.json)).toBe(true);
    expect(r.json.error).toMatchObject({ code: 'BAD_SCENARIO', field: 'steps[1]' });
    expect(r.json.error.message.split('\n')).toEqual([
      'the scenario has 2 errors:',
      expect.stringMatching(/^steps\[1\]: unknown step "lisen"/),
      'steps[2].send.on: "clii" is not defined by an earlier step (known: srv)',
    ]);
    expect((await s.api('GET', '/api/sockets')).json.listeners).toEqual([]);
  });

  it('400 BAD_REQUEST unless exactly one of scenario and source is given', async () => {
    const both = await s.api('POST', '/api/scenarios/run', { source: HELLO, scenario: {} });
    expect(both.status).toBe(400);
    expect(both.json.error).toMatchObject({ code: 'BAD_REQUEST', field: 'scenario' });
    const neither = await s.api('POST', '/api/scenarios/validate', { keep: true });
    expect(neither.status).toBe(400);
    const unknown = await s.api('POST', '/api/scenarios/run', { source: HELLO, extra: 1 });
    expect(unknown.json.error).toMatchObject({ code: 'BAD_REQUEST', field: 'extra' });
  });

  it('a client that hangs up stops its run: the run ends failed and its listener is closed', async () => {
    const stream = await s.stream();
    const hangUp = new AbortController();
    const source = 'name: abandoned\nsteps:\n  - listen: { name: srv, port: 0 }\n  - wait: 30000\n';
    const pending = fetch(`${s.baseUrl}/api/scenarios/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source }),
      signal: hangUp.signal,
    });
    pending.catch(() => {});
    await stream.waitFor((f) => f.type === 'scenario/step' && f.step === 1 && f.status === 'running');
    hangUp.abort();
    const end = await stream.waitFor((f) => f.type === 'scenario/run' && f.status !== 'running');
    expect(end).toMatchObject({ status: 'failed', failedStep: 1 });
    const { listeners } = (await s.api('GET', '/api/sockets')).json;
    expect(listeners.map((l: { state: string }) => l.state)).toEqual(['closed']);
  });

  it('OpenAPI documents both routes under the scenarios tag', async () => {
    const doc = (await s.api('GET', '/api/openapi.json')).json;
    expect(doc.paths['/api/scenarios/run'].post.tags).toEqual(['scenarios']);
    expect(doc.paths['/api/scenarios/validate'].post.tags).toEqual(['scenarios']);
  });

  it('needs the token like every /api route', async () => {
    const r = await s.inject({ method: 'POST', url: '/api/scenarios/run', payload: { source: HELLO }, auth: false });
    expect(r.statusCode).toBe(401);
  });
});
