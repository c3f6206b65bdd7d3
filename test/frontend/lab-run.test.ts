// The lab run fold: labels from the file, adoption of the first running run of the lab, other runs left alone,
// late events after the result ignored, runs seen only in the stream followed.
import { describe, expect, it } from 'vitest';
import type { InspectorEvent, RunResult } from '../../shared';
import { applyRunEvent, newRun, runSummary, stepLabels, withError, withResult } from '../../frontend/state/lab-run';
import { foldRunEvents } from '../../frontend/state/lab-runs';
import { ev, T0 } from './table-factories';

type RunEv = Extract<InspectorEvent, { type: 'scenario/run' }>;
type StepEv = Extract<InspectorEvent, { type: 'scenario/step' }>;
let seq = 0;
const runEv = (over: Partial<RunEv> = {}): RunEv =>
  ev({
    type: 'scenario/run',
    seq: ++seq,
    at: T0,
    id: 'r-1',
    scenario: 'half-close',
    lab: 'half-close',
    session: 's-1',
    status: 'running',
    steps: 3,
    failedStep: null,
    elapsedMs: 0,
    ...over,
  } as RunEv);
const stepEv = (step: number, status: StepEv['status'], id = 'r-1'): StepEv =>
  ev({
    type: 'scenario/step',
    seq: ++seq,
    at: T0,
    id,
    step,
    label: `label ${step}`,
    status,
    elapsedMs: 1,
    message: null,
  });

const SOURCE = `name: x
steps:
  - listen: { name: srv, port: 0 }
  - connect: { name: cli, to: srv }
  - send: { on: cli, data: "hi" }
`;

describe('lab run', () => {
  it('knows the step labels from the scenario file, as the runner prints them', () => {
    expect(stepLabels(SOURCE)).toEqual(['listen srv', 'connect cli -> srv', 'send cli "hi"']);
    expect(stepLabels('name: [')).toEqual([]);
  });

  it('adopts the first running run of its lab, then follows only that id', () => {
    let run = newRun('half-close', ['a', 'b', 'c']);
    expect(runSummary(run)).toBe('starting…');
    expect(applyRunEvent(run, runEv({ lab: 'time-wait' }))).toBe(run);
    run = applyRunEvent(run, runEv());
    expect(run).toMatchObject({ id: 'r-1', status: 'running', session: 's-1' });
    run = applyRunEvent(run, stepEv(0, 'ok'));
    expect(applyRunEvent(run, stepEv(1, 'ok', 'r-2'))).toBe(run);
    run = applyRunEvent(run, stepEv(1, 'running'));
    expect(run.steps.map((s) => s.status)).toEqual(['ok', 'running', 'pending']);
    expect(run.steps[0]!.label).toBe('label 0');
    expect(runSummary(run)).toBe('running: 1 of 3 steps ok');
    run = applyRunEvent(run, runEv({ status: 'failed', failedStep: 1, elapsedMs: 2500 }));
    expect(runSummary(run)).toBe('FAILED at step 2 of 3 in 2.5 s');
  });

  it('the result is final: late step events change nothing', () => {
    const result: RunResult = {
      id: 'r-1',
      scenario: 'half-close',
      lab: 'half-close',
      session: 's-1',
      status: 'passed',
      elapsedMs: 30,
      failedStep: null,
      vars: {},
      steps: [0, 1].map((index) => ({ index, label: `s${index}`, status: 'ok' as const, elapsedMs: 1, message: null })),
    };
    const done = withResult(newRun('half-close', ['a', 'b']), result);
    expect(runSummary(done)).toBe('passed: 2 of 2 steps ok in 0.0 s');
    expect(applyRunEvent(done, stepEv(0, 'running'))).toBe(done);
    expect(applyRunEvent(done, runEv())).toBe(done);
    expect(runSummary(withError(newRun('x', []), 'LIMIT_REACHED'))).toBe('could not run: LIMIT_REACHED');
  });

  it('foldRunEvents: a run seen only in the stream is followed; an active run is not replaced by another', () => {
    const labels = () => ['a', 'b', 'c'];
    let runs = foldRunEvents(new Map(), [runEv({ id: 'r-5' }), stepEv(0, 'ok', 'r-5')], labels);
    expect(runs.get('half-close')).toMatchObject({ id: 'r-5', status: 'running' });
    expect(runs.get('half-close')!.steps.map((s) => s.status)).toEqual(['ok', 'pending', 'pending']);
    const same = foldRunEvents(runs, [runEv({ id: 'r-6' })], labels);
    expect(same).toBe(runs);
    runs = foldRunEvents(runs, [runEv({ id: 'r-5', status: 'passed' }), runEv({ id: 'r-6' })], labels);
    expect(runs.get('half-close')).toMatchObject({ id: 'r-6', status: 'running' });
    expect(foldRunEvents(runs, [runEv({ lab: null, id: 'r-9' })], labels)).toBe(runs);
  });
});
