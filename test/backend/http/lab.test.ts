// The lab over REST: list, detail with the YAML source, run (result checked against the schema), 404s and bodies.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { ApiErrorSchema, LabDetailSchema, LabListSchema, RunResultSchema, type InspectorEvent } from '../../../shared';
import { startApp, type StartedApp } from '../../helpers/app';

const checkList = Compile(LabListSchema);
const checkDetail = Compile(LabDetailSchema);
const checkRun = Compile(RunResultSchema);
const checkError = Compile(ApiErrorSchema);

let s: StartedApp | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('/api/lab', () => {
  it('lists nine labs and serves each one with its scenario file as written on disk', async () => {
    s = await startApp({ uiDir: null });
    const list = await s.api('GET', '/api/lab');
    expect(list.status).toBe(200);
    expect(checkList.Check(list.json)).toBe(true);
    expect(list.json.labs).toHaveLength(9);
    const detail = await s.api('GET', '/api/lab/half-close');
    expect(detail.status).toBe(200);
    expect(checkDetail.Check(detail.json)).toBe(true);
    const file = new URL('../../../backend/lab/scenarios/half-close.yaml', import.meta.url);
    expect(detail.json.source).toBe(readFileSync(file, 'utf8'));
    expect(detail.json.title).toContain('Half-close');
  });

  it('runs a lab: a passed RunResult, with scenario events on the stream', async () => {
    s = await startApp({ uiDir: null });
    const stream = await s.stream();
    const res = await s.api('POST', '/api/lab/no-framing/run');
    expect(res.status).toBe(200);
    expect(checkRun.Check(res.json)).toBe(true);
    expect(res.json).toMatchObject({ status: 'passed', lab: 'no-framing', scenario: 'no-framing', failedStep: null });
    const done = await stream.waitFor<Extract<InspectorEvent, { type: 'scenario/run' }>>(
      (e) => e.type === 'scenario/run' && e.status === 'passed',
    );
    expect(done).toMatchObject({ id: res.json.id, lab: 'no-framing', steps: res.json.steps.length });
    // The run's sockets are ordinary rows, closed after the run.
    const sockets = await s.api('GET', '/api/sockets');
    expect(sockets.json.connections.length).toBeGreaterThanOrEqual(4);
    expect(sockets.json.listeners.every((l: { state: string }) => l.state === 'closed')).toBe(true);
  });

  it('keep: true leaves the sockets open', async () => {
    s = await startApp({ uiDir: null });
    const res = await s.api('POST', '/api/lab/listening-socket-misuse/run', { keep: true });
    expect(res.json.status).toBe('passed');
    const sockets = await s.api('GET', '/api/sockets');
    expect(sockets.json.listeners.map((l: { state: string }) => l.state)).toEqual(['listening']);
  });

  it('404 LAB_NOT_FOUND for an unknown lab; 400 for an unknown body field', async () => {
    s = await startApp({ uiDir: null });
    for (const [method, path] of [
      ['GET', '/api/lab/nope'],
      ['POST', '/api/lab/nope/run'],
    ] as const) {
      const res = await s.api(method, path);
      expect(res.status).toBe(404);
      expect(checkError.Check(res.json)).toBe(true);
      expect(res.json.error.code).toBe('LAB_NOT_FOUND');
    }
    const bad = await s.api('POST', '/api/lab/half-close/run', { keep: true, fast: true });
    expect(bad.status).toBe(400);
  });
});
