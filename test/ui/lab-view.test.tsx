// The Lab tab in jsdom, on the real catalog: list, explanation and fixes, Run with live steps from scenario events then
// the result, a failed run, a run started elsewhere (CLI), Copy scenario, and "Show its sockets".
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InspectorEvent, RunResult } from '../../shared';
import { labDetail, labList } from '../../backend/lab/catalog';
import { client, ev, T0 } from '../frontend/table-factories';
import { mountApp } from './app-harness';

// The colleagues' panes are tested on their own; here they are placeholders with the agreed props.
vi.mock('../../frontend/components/detail/DetailPane', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewListenerForm', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewConnectionForm', () => import('./app-placeholders'));

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let runReply: { resolve: (r: RunResult) => void } | null;
let requests: string[];
beforeEach(() => {
  runReply = null;
  requests = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      requests.push(`${init?.method ?? 'GET'} ${url}${init?.body ? ` ${String(init.body)}` : ''}`);
      if (url === '/api/lab') return json(labList());
      const run = /^\/api\/lab\/([a-z-]+)\/run$/.exec(url);
      if (run) return new Promise<Response>((resolve) => (runReply = { resolve: (r) => resolve(json(r)) }));
      const one = /^\/api\/lab\/([a-z-]+)$/.exec(url);
      if (one) return json(labDetail(one[1]!));
      if (url === '/api/sessions') return json({ sessions: [] });
      return json({ error: { code: 'NOT_FOUND', message: url } }, 404);
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const mount = () => mountApp([client(1)]);

/** Lets pending fetches and their state updates settle. */
const settle = () => act(async () => {});

let seq = 10;
const runEvent = (over: Partial<Extract<InspectorEvent, { type: 'scenario/run' }>>) =>
  ev({
    type: 'scenario/run',
    seq: ++seq,
    at: T0 + seq,
    id: 'r-1',
    scenario: 'no-framing',
    lab: 'no-framing',
    session: 's-1',
    status: 'running',
    steps: 15,
    failedStep: null,
    elapsedMs: 0,
    ...over,
  } as InspectorEvent);
const stepEvent = (step: number, label: string, status: 'running' | 'ok' | 'failed', message: string | null = null) =>
  ev({
    type: 'scenario/step',
    seq: ++seq,
    at: T0 + seq,
    id: 'r-1',
    step,
    label,
    status,
    elapsedMs: status === 'running' ? 0 : 3,
    message,
  });

const steps = () => within(screen.getByRole('list', { name: 'Steps' })).getAllByRole('listitem');
const statusOf = (i: number) => steps()[i]!.getAttribute('data-status');

async function openLab(name?: RegExp) {
  fireEvent.click(screen.getByRole('tab', { name: 'Lab' }));
  await settle();
  if (name) fireEvent.click(within(screen.getByRole('navigation', { name: 'Labs' })).getByRole('button', { name }));
  await settle();
}

function result(status: 'passed' | 'failed', failedAt: number | null = null): RunResult {
  const detail = labDetail('no-framing');
  return {
    id: 'r-1',
    scenario: 'no-framing',
    lab: 'no-framing',
    session: 's-1',
    status,
    elapsedMs: 345,
    failedStep: failedAt,
    vars: { 'srv.port': 41000 },
    steps: Array.from({ length: detail.steps }, (_, index) => ({
      index,
      label: `step label ${index + 1}`,
      status: failedAt === null || index < failedAt ? 'ok' : index === failedAt ? 'failed' : 'skipped',
      elapsedMs: 2,
      message: index === failedAt ? 'c-2: chunksIn: expected 1, got 2' : null,
    })),
  };
}

describe('Lab tab', () => {
  it('lists the nine labs; the first is open with its steps, why, and the fix in Python and Node', async () => {
    mount();
    await openLab();
    expect(screen.getByRole('tab', { name: 'Lab' }).getAttribute('aria-selected')).toBe('true');
    const nav = screen.getByRole('navigation', { name: 'Labs' });
    expect(within(nav).getAllByRole('button')).toHaveLength(9);
    expect(within(nav).getAllByRole('button')[0]!.getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Connecting before the server listens');
    expect(steps()).toHaveLength(labDetail('connect-before-listen').steps);
    expect(steps()[0]!.textContent).toContain('listen probe');
    expect(steps().every((s) => s.getAttribute('data-status') === 'pending')).toBe(true);
    expect(screen.getByRole('heading', { name: 'Why' })).toBeTruthy();
    const fix = (lang: string) => screen.getByText(lang, { selector: 'figcaption' }).closest('figure')!.textContent;
    expect(fix('Python')).toContain('except ConnectionRefusedError');
    expect(fix('Node')).toContain("err.code !== 'ECONNREFUSED'");
    expect(screen.queryByRole('table', { name: 'Connections' })).toBeNull();
  });

  it('fetches the list and each lab once per app, not on every visit to the tab', async () => {
    mount();
    await openLab(/TCP has no message boundaries/);
    fireEvent.click(screen.getByRole('tab', { name: 'Connections' }));
    await settle();
    await openLab(/TCP has no message boundaries/);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('TCP has no message boundaries');
    const gets = (url: string) => requests.filter((r) => r === `GET ${url}`).length;
    expect(gets('/api/lab')).toBe(1);
    expect(gets('/api/lab/no-framing')).toBe(1);
    expect(gets('/api/lab/connect-before-listen')).toBe(1);
  });

  it('Run: live steps from scenario events, then the result; the sockets are one click away', async () => {
    const { store, send } = mount();
    await openLab(/TCP has no message boundaries/);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('TCP has no message boundaries');
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    // No keep: the shared client sends no body at all (the route takes none, or { keep } / { cleanup }).
    expect(requests.at(-1)).toBe('POST /api/lab/no-framing/run');
    expect(screen.getByRole('button', { name: 'Running…' })).toHaveProperty('disabled', true);

    send(runEvent({}), stepEvent(0, 'listen srv', 'running'));
    expect(statusOf(0)).toBe('running');
    send(stepEvent(0, 'listen srv', 'ok', '127.0.0.1:41000'), stepEvent(1, 'connect cli -> srv', 'running'));
    expect(statusOf(0)).toBe('ok');
    expect(steps()[0]!.textContent).toContain('127.0.0.1:41000');
    expect(statusOf(1)).toBe('running');
    expect(screen.getByRole('status', { name: '' }).textContent).toContain('running: 1 of 15 steps ok');

    await act(async () => runReply!.resolve(result('passed')));
    expect(steps().map((s) => s.getAttribute('data-status'))).toEqual(Array(15).fill('ok'));
    expect(screen.getByText(/passed: 15 of 15 steps ok in 0\.3 s/)).toBeTruthy();
    const badge = within(screen.getByRole('navigation', { name: 'Labs' })).getByText('passed');
    expect(badge).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Show its sockets' }));
    expect(screen.getByRole('tab', { name: 'Connections' }).getAttribute('aria-selected')).toBe('true');
    expect(store.getState().table.connections.size).toBe(1);
  });

  it('a failed run shows FAILED with the reason and the skipped steps; keep is passed on', async () => {
    mount();
    await openLab(/TCP has no message boundaries/);
    fireEvent.click(screen.getByRole('checkbox', { name: /keep the sockets open/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(requests.at(-1)).toBe('POST /api/lab/no-framing/run {"keep":true}');
    await act(async () => runReply!.resolve(result('failed', 4)));
    expect(statusOf(4)).toBe('failed');
    expect(steps()[4]!.textContent).toContain('FAILED');
    expect(steps()[4]!.textContent).toContain('chunksIn: expected 1, got 2');
    expect(statusOf(5)).toBe('skipped');
    expect(screen.getByText(/FAILED at step 5 of 15/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Run again' })).toHaveProperty('disabled', false);
  });

  it('follows a run started elsewhere (the CLI) from its events', async () => {
    const { send } = mount();
    await openLab(/TCP has no message boundaries/);
    send(runEvent({ id: 'r-7' }));
    send(ev({ ...stepEvent(0, 'listen srv', 'ok'), id: 'r-7' }));
    expect(statusOf(0)).toBe('ok');
    expect(statusOf(1)).toBe('pending');
    expect(steps()[1]!.textContent).toContain('connect cli -> srv');
    send(runEvent({ id: 'r-7', status: 'failed', failedStep: 1, elapsedMs: 1500 }));
    expect(screen.getByText(/FAILED at step 2 of 15 in 1\.5 s/)).toBeTruthy();
  });

  it('Copy scenario puts the YAML on the clipboard; when refused, the file is shown to copy by hand', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    mount();
    await openLab(/Half-close/);
    fireEvent.click(screen.getByRole('button', { name: 'Copy scenario' }));
    await settle();
    expect(writeText).toHaveBeenCalledWith(labDetail('half-close').source);
    expect(screen.getByText(/Copied/)).toBeTruthy();

    writeText.mockRejectedValueOnce(new Error('denied'));
    fireEvent.click(screen.getByRole('button', { name: 'Copy scenario' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('refused the clipboard');
    expect(screen.getByText(/name: half-close/)).toBeTruthy();
  });
});
