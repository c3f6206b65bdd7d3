// How a run ends its sockets, seen from a real Python server: a failed run must not reset the user's server.
import { afterEach, describe, expect, it } from 'vitest';
import {
  GRACEFUL_CLOSE_MS,
  checkScenarioText,
  type CleanupMode,
  type InspectorEvent,
  type RunResult,
  type Scenario,
} from '../../../shared';
import { runScenario } from '../../../backend/scenario/runner';
import { startApp } from '../../helpers/app';
import { useInspector } from '../../helpers/inspector-fixture';
import { pythonServer, type PythonServer } from '../../helpers/python-peer';

const fx = useInspector();
const pythons: PythonServer[] = [];
afterEach(async () => {
  for (const p of pythons.splice(0)) await p.close();
});

async function python(mode: 'close' | 'hold' = 'close'): Promise<PythonServer> {
  const p = await pythonServer(mode);
  pythons.push(p);
  return p;
}

function scenario(text: string): Scenario {
  const r = checkScenarioText(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

/** Dials the server, sends 5 bytes, then waits for a reply that never comes: the run fails at step 3. */
const failingText = (port: number, cleanup?: CleanupMode) => `
name: no reply
${cleanup ? `cleanup: ${cleanup}` : ''}
steps:
  - connect: { name: cli, port: ${port} }
  - send: { on: cli, data: hello }
  - expect: { on: cli, text: pong, timeoutMs: 200 }
`;
const failing = (port: number, cleanup?: CleanupMode) => scenario(failingText(port, cleanup));

function sessionRows(result: RunResult) {
  return fx.inspector.sockets().connections.filter((c) => c.session === result.session);
}

const stateEvents = () =>
  fx.inspector.events({ limit: 10_000 }).events.flatMap((e) => (e.type === 'socket/state' ? [e] : []));

const resetFaults = (): InspectorEvent[] =>
  fx.inspector
    .events({ limit: 10_000 })
    .events.filter((e) => e.type === 'socket/fault' && e.fault.code === 'ECONNRESET');

// These spawn python3 (twice in one test) and run scenarios against it; python3 may take a second to start on a busy
// machine, and python-peer.ts waits up to 10 s for it: vitest's default 5 s would be a guess.
describe('scenario cleanup', { timeout: 30_000 }, () => {
  it('by default a failed run closes with a FIN: the Python server reads a clean EOF, not ECONNRESET', async () => {
    const py = await python();
    const result = await runScenario(fx.inspector, failing(py.port));
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe(2);
    expect(await py.outcome()).toBe('EOF 5');
    expect(result.cleanup).toEqual({ mode: 'close', released: [] });
    // It closed because both FINs crossed, not on a timer: nothing was left open and nothing was reset.
    expect(sessionRows(result).map((c) => c.state)).toEqual(['closed']);
    expect(fx.inspector.getSession(result.session!).closedAt).not.toBeNull();
    expect(resetFaults()).toEqual([]);
  });

  it('cleanup: reset (in the file) sends an RST: the Python server gets ConnectionResetError', async () => {
    const py = await python();
    const result = await runScenario(fx.inspector, failing(py.port, 'reset'));
    expect(result.status).toBe('failed');
    expect(await py.outcome()).toBe('ConnectionResetError 5');
    expect(result.cleanup).toEqual({ mode: 'reset', released: [] });
    expect(sessionRows(result).map((c) => c.state)).toEqual(['closed']);
  });

  it("the run's cleanup option overrides the file's", async () => {
    const graceful = await python();
    const closed = await runScenario(fx.inspector, failing(graceful.port, 'reset'), { cleanup: 'close' });
    expect(await graceful.outcome()).toBe('EOF 5');
    expect(closed.cleanup?.mode).toBe('close');
    const abrupt = await python();
    const reset = await runScenario(fx.inspector, failing(abrupt.port, 'close'), { cleanup: 'reset' });
    expect(await abrupt.outcome()).toBe('ConnectionResetError 5');
    expect(reset.cleanup?.mode).toBe('reset');
  });

  it(`a peer that never closes is released ${GRACEFUL_CLOSE_MS} ms after our FIN, and the result says so`, async () => {
    const py = await python('hold');
    const started = performance.now();
    const result = await runScenario(fx.inspector, failing(py.port));
    const took = performance.now() - started;
    expect(await py.outcome()).toBe('EOF 5');
    const [row] = sessionRows(result);
    expect(result.cleanup).toEqual({ mode: 'close', released: [row!.id] });
    expect(row!.state).toBe('closed');
    // 200 ms of expect, then the whole wait for the peer's FIN that never came.
    expect(took).toBeGreaterThanOrEqual(200 + GRACEFUL_CLOSE_MS);
    py.release();
  });

  it('both ends in sockscope, one of them paused: FINs both ways, nothing reset or released', async () => {
    const result = await runScenario(
      fx.inspector,
      scenario(`
name: paused reader
steps:
  - listen: { name: srv, port: 0, accept: hold }
  - connect: { name: cli, to: srv }
  - send: { on: cli, data: unread }
  - expect: { on: srv.accepted[0], bytes: 1, timeoutMs: 200 }
`),
    );
    // The held connection reads nothing, so the expect fails; the cleanup still ends both ends with FINs.
    expect(result.failedStep).toBe(3);
    expect(result.cleanup).toEqual({ mode: 'close', released: [] });
    const rows = sessionRows(result);
    expect(rows.map((c) => c.state)).toEqual(['closed', 'closed']);
    // Each sent its FIN (half-closed-local) and none was reset.
    const ends = stateEvents().filter((e) => rows.some((c) => c.id === e.id) && e.to !== 'open');
    expect(ends.filter((e) => e.cause === 'reset')).toEqual([]);
    expect(new Set(ends.filter((e) => e.to === 'half-closed-local').map((e) => e.id))).toEqual(
      new Set(rows.map((c) => c.id)),
    );
  });

  it('the file is checked: cleanup is close or reset', () => {
    expect(checkScenarioText('name: x\ncleanup: rst\nsteps:\n  - wait: 0\n')).toEqual({
      ok: false,
      errors: [{ path: 'cleanup', message: 'must be one of close, reset' }],
    });
    expect(checkScenarioText('name: x\ncleanup: reset\nsteps:\n  - wait: 0\n').ok).toBe(true);
  });

  it('keep and cleanup together are refused: kept sockets are not cleaned up', async () => {
    await expect(
      runScenario(fx.inspector, scenario('name: k\nsteps:\n  - wait: 0\n'), { keep: true, cleanup: 'close' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', statusCode: 400, extra: { field: 'cleanup' } });
  });

  it('a kept run reports no cleanup', async () => {
    const result = await runScenario(fx.inspector, scenario('name: k\nsteps:\n  - listen: { name: srv, port: 0 }\n'), {
      keep: true,
    });
    expect(result.cleanup).toBeUndefined();
    await fx.inspector.closeSession(result.session!);
  });
});

// python3, an app and five runs (one a lab) in one test: the same reason as above.
describe('scenario cleanup over REST', { timeout: 30_000 }, () => {
  it('POST /api/scenarios/run and /api/lab/:name/run take cleanup; a bad one, or one with keep, is refused', async () => {
    const app = await startApp({ uiDir: null });
    try {
      const py = await python();
      const run = await app.api('POST', '/api/scenarios/run', { source: failingText(py.port), cleanup: 'reset' });
      expect(run.status, JSON.stringify(run.json)).toBe(200);
      expect(run.json).toMatchObject({ status: 'failed', cleanup: { mode: 'reset', released: [] } });
      expect(await py.outcome()).toBe('ConnectionResetError 5');

      const source = 'name: x\nsteps:\n  - wait: 0\n';
      const bad = await app.api('POST', '/api/scenarios/run', { source, cleanup: 'rst' });
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toContain('cleanup');
      const both = await app.api('POST', '/api/scenarios/run', { source, keep: true, cleanup: 'close' });
      expect(both.status).toBe(400);
      expect(both.json.error).toMatchObject({ code: 'BAD_REQUEST', field: 'cleanup' });

      const lab = await app.api('POST', '/api/lab/half-close/run', { cleanup: 'reset' });
      expect(lab.status, JSON.stringify(lab.json)).toBe(200);
      expect(lab.json.cleanup).toEqual({ mode: 'reset', released: [] });
      const byDefault = await app.api('POST', '/api/lab/half-close/run', {});
      expect(byDefault.json.cleanup).toEqual({ mode: 'close', released: [] });
    } finally {
      await app.close();
    }
  });
});
