// The new-connection form in jsdom: retry and advanced fields, numbers in the body, server errors at their field.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NewConnectionForm } from '../../frontend/components/forms/NewConnectionForm';
import { explain, type Fault, type InspectorEvent } from '../../shared';
import { checked, T0 } from '../frontend/detail-factories';
import { storeWith } from './detail-fixtures';
import { apiError, connectionRow, problemOf, sentBody, stubFetch } from './forms-fixtures';

const refusedFault = (): Fault => ({
  code: 'ECONNREFUSED',
  errno: 111,
  syscall: 'connect',
  address: '127.0.0.1',
  port: 41234,
  message: 'connect ECONNREFUSED 127.0.0.1:41234',
  state: 'connecting',
  at: T0,
  explanation: explain('ECONNREFUSED'),
});

const form = () => screen.getByRole('form', { name: 'New connection' });
const field = (label: string) => within(form()).getByLabelText(label);
const type = (label: string, value: string) => fireEvent.change(field(label), { target: { value } });
const connect = () => fireEvent.click(within(form()).getByRole('button', { name: 'Connect' }));
const section = (summary: RegExp) => within(form()).getByText(summary).closest('details')!;

describe('NewConnectionForm', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('sends host and port, and no retry policy for one attempt', async () => {
    const fetch = stubFetch(201, connectionRow());
    const onCreated = vi.fn();
    render(<NewConnectionForm onCreated={onCreated} />);
    type('Port', '41234');
    connect();
    await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));
    expect(fetch.mock.calls[0]![0]).toBe('/api/connections');
    expect(sentBody(fetch)).toStrictEqual({ host: '127.0.0.1', port: 41234, timeoutMs: 10000 });
    expect(onCreated.mock.calls[0]![0]).toMatchObject({ id: 'c-1', state: 'connecting' });
    expect(within(form()).getByRole('status').textContent).toBe('Connecting to 127.0.0.1:41234 (c-1)');
  });

  it('sends every number as a number: timeout, retry policy, local port', async () => {
    const fetch = stubFetch(201, connectionRow({ attempts: 3 }));
    render(<NewConnectionForm />);
    type('Host', 'example.test');
    type('Port', '443');
    type('Timeout (ms)', '2500');
    type('Attempts', '3');
    fireEvent.change(field('Backoff'), { target: { value: 'fixed' } });
    type('Initial delay (ms)', '100');
    type('Max delay (ms)', '1000');
    type('Jitter', '0.25');
    type('Local address', '127.0.0.1');
    type('Local port', '0');
    fireEvent.click(field('No delay (TCP_NODELAY)'));
    fireEvent.click(field('Keep-alive (SO_KEEPALIVE)'));
    expect(section(/^Retry:/).querySelector('summary')!.textContent).toBe('Retry: 3 attempts, fixed');
    connect();
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(sentBody(fetch)).toStrictEqual({
      host: 'example.test',
      port: 443,
      timeoutMs: 2500,
      localAddress: '127.0.0.1',
      localPort: 0,
      noDelay: true,
      keepAlive: true,
      retry: { attempts: 3, backoff: 'fixed', initialDelayMs: 100, maxDelayMs: 1000, jitter: 0.25 },
    });
  });

  it('checks like the schema does and opens the section of the first invalid field', () => {
    const fetch = stubFetch(201, connectionRow());
    render(<NewConnectionForm />);
    expect(section(/^Retry:/).open).toBe(false);
    type('Attempts', '2.5');
    type('Jitter', '1.5');
    connect();
    expect(fetch).not.toHaveBeenCalled();
    expect(problemOf(field('Port'))?.textContent).toBe('Required');
    expect(problemOf(field('Attempts'))?.textContent).toBe('must be an integer from 1 to 100');
    expect(problemOf(field('Jitter'))?.textContent).toMatch(/from 0 to 1/);
    expect(document.activeElement).toBe(field('Port'));

    type('Port', '80');
    type('Host', 'http://example.test');
    expect(problemOf(field('Port'))).toBeNull();
    connect();
    expect(problemOf(field('Host'))?.textContent).toMatch(/without a scheme/);
    expect(document.activeElement).toBe(field('Host'));

    type('Host', 'example.test');
    connect();
    expect(section(/^Retry:/).open).toBe(true);
    expect(document.activeElement).toBe(field('Attempts'));
    type('Attempts', '3');
    type('Jitter', '0.5');
    type('Local port', '70000');
    connect();
    expect(section(/^Advanced/).open).toBe(true);
    expect(problemOf(field('Local port'))?.textContent).toMatch(/from 0 to 65535/);
    expect(document.activeElement).toBe(field('Local port'));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('says what the API says of a bad port: the words of REST and of a scenario step (schema-messages.test.ts)', () => {
    const fetch = stubFetch(201, connectionRow());
    render(<NewConnectionForm />);
    type('Port', '70000');
    connect();
    expect(fetch).not.toHaveBeenCalled();
    expect(problemOf(field('Port'))?.textContent).toBe('must be an integer from 1 to 65535');
  });

  it('puts a 400 at the (nested) field the server names, opening its section', async () => {
    stubFetch(
      400,
      apiError({
        code: 'BAD_REQUEST',
        message: 'retry.maxDelayMs: must be an integer from 0 to 600000',
        field: 'retry.maxDelayMs',
      }),
    );
    render(<NewConnectionForm />);
    type('Port', '80');
    type('Attempts', '2');
    connect();
    await waitFor(() => expect(problemOf(field('Max delay (ms)'))?.textContent).toMatch(/maxDelayMs/));
    expect(section(/^Retry:/).open).toBe(true);
    expect(document.activeElement).toBe(field('Max delay (ms)'));
  });

  it('puts SELF_CONNECT (403) at the port', async () => {
    const message = "port 7070 is sockscope's own HTTP port; connecting to it is refused";
    stubFetch(403, apiError({ code: 'SELF_CONNECT', message }));
    render(<NewConnectionForm />);
    type('Port', '7070');
    connect();
    await waitFor(() => expect(problemOf(field('Port'))?.textContent).toBe(message));
  });

  it('names the limit beside the Connect button on 429, and the cause of a request that got no reply', async () => {
    stubFetch(
      429,
      apiError({ code: 'LIMIT_REACHED', message: 'limit maxConnections (1024) reached', limit: 'maxConnections' }),
    );
    render(<NewConnectionForm />);
    type('Port', '80');
    connect();
    const limit = await within(form()).findByRole('alert');
    expect(limit.textContent).toMatch(/Limit maxConnections reached: close some connections/);
    expect(problemOf(within(form()).getByRole('button', { name: 'Connect' }))).toBe(limit);
    expect(problemOf(field('Port'))).toBeNull();

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    connect();
    await within(form()).findByText(/No reply from sockscope/);
    expect(within(form()).getAllByRole('alert')).toHaveLength(1);
  });

  it('refuses a second submit while the first is in flight', async () => {
    let answer: (r: Response) => void = () => {};
    const fetch = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    vi.stubGlobal('fetch', fetch);
    render(<NewConnectionForm />);
    type('Port', '80');
    connect();
    const button = within(form()).getByRole('button', { name: 'Connect' });
    await waitFor(() => expect(button).toHaveProperty('disabled', true));
    fireEvent.submit(form());
    expect(fetch).toHaveBeenCalledTimes(1);
    answer(new Response(JSON.stringify(connectionRow()), { status: 201 }));
    await waitFor(() => expect(button).toHaveProperty('disabled', false));
  });

  it('follows the row it made: connecting, then the errno in the error colour when the connect fails', async () => {
    stubFetch(201, connectionRow({ attempts: 2 }));
    const store = storeWith({});
    render(<NewConnectionForm store={store} />);
    type('Port', '41234');
    connect();
    const status = () => within(form()).getByRole('status');
    await waitFor(() => expect(status().textContent).toBe('Connecting to 127.0.0.1:41234 (c-1), attempt 1 of 2'));
    const tone = () => status().querySelector('[data-tone]')!.getAttribute('data-tone');
    expect(tone()).toBe('pending');
    const fault = refusedFault();
    const feed = (...events: InspectorEvent[]) =>
      act(() => {
        for (const e of events) store.receive(checked(e));
        store.flush();
      });
    feed({ type: 'socket/opened', seq: 101, at: T0, id: 'c-1', connection: connectionRow({ attempts: 2 }) });
    feed({ type: 'socket/fault', seq: 102, at: T0, id: 'c-1', fault, attempt: 1, retryInMs: 200 });
    expect(status().textContent).toBe('Connecting to 127.0.0.1:41234 (c-1), attempt 1 of 2; last: ECONNREFUSED 111');
    feed(
      { type: 'socket/attempt', seq: 103, at: T0, id: 'c-1', attempt: 2, attempts: 2, host: '127.0.0.1', port: 41234 },
      { type: 'socket/fault', seq: 104, at: T0, id: 'c-1', fault, attempt: 2, retryInMs: null },
      { type: 'socket/state', seq: 105, at: T0, id: 'c-1', from: 'connecting', to: 'failed', cause: 'error' },
    );
    expect(status().textContent).toBe('ECONNREFUSED 111 (Connection refused) connecting to 127.0.0.1:41234 (c-1)');
    expect(tone()).toBe('bad');
    expect(status().querySelector('.ssf-done-bad')).not.toBeNull();
  });

  it('says connected once the row is open', async () => {
    stubFetch(201, connectionRow());
    const store = storeWith({});
    render(<NewConnectionForm store={store} />);
    type('Port', '41234');
    connect();
    await waitFor(() => expect(within(form()).getByRole('status').textContent).toMatch(/^Connecting/));
    act(() => {
      store.receive(checked({ type: 'socket/opened', seq: 101, at: T0, id: 'c-1', connection: connectionRow() }));
      store.receive(
        checked({
          type: 'socket/state',
          seq: 102,
          at: T0,
          id: 'c-1',
          from: 'connecting',
          to: 'open',
          cause: 'connect',
          local: { address: '127.0.0.1', port: 50000 },
          remote: { address: '127.0.0.1', port: 41234 },
          family: 'IPv4',
        }),
      );
      store.flush();
    });
    expect(within(form()).getByRole('status').textContent).toBe('Connected to 127.0.0.1:41234 (c-1)');
    expect(within(form()).getByRole('status').querySelector('[data-tone]')!.getAttribute('data-tone')).toBe('ok');
  });
});
