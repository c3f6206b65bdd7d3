// The new-listener form in jsdom: defaults, client-side checks, numbers in the body, server errors at their field.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NewListenerForm } from '../../frontend/components/forms/NewListenerForm';
import { apiError, bindFault, listenerRow, problemOf, sentBody, stubFetch } from './forms-fixtures';

const form = () => screen.getByRole('form', { name: 'New listener' });
const field = (label: string) => within(form()).getByLabelText(label);
const type = (label: string, value: string) => fireEvent.change(field(label), { target: { value } });
const listen = () => fireEvent.click(within(form()).getByRole('button', { name: 'Listen' }));

describe('NewListenerForm', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('sends the defaults as numbers and reports the bound port', async () => {
    const fetch = stubFetch(201, listenerRow({ local: { address: '127.0.0.1', port: 41234 } }));
    const onCreated = vi.fn();
    render(<NewListenerForm onCreated={onCreated} />);
    expect(field('Host')).toHaveProperty('value', '127.0.0.1');
    expect(field('Port')).toHaveProperty('value', '0');
    expect(field('Backlog')).toHaveProperty('value', '511');
    expect(field('Accept mode')).toHaveProperty('value', 'read');

    listen();
    await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));
    expect(fetch.mock.calls[0]![0]).toBe('/api/listeners');
    expect(fetch.mock.calls[0]![1]?.method).toBe('POST');
    expect(sentBody(fetch)).toStrictEqual({ host: '127.0.0.1', port: 0, backlog: 511, accept: 'read' });
    expect(onCreated.mock.calls[0]![0]).toMatchObject({ id: 'l-1', local: { port: 41234 } });
    expect(within(form()).getByRole('status').textContent).toBe('Listening on 127.0.0.1:41234 (l-1)');
  });

  it('sends what was typed, trimmed, with the chosen accept mode', async () => {
    const fetch = stubFetch(
      201,
      listenerRow({ local: { address: '::1', port: 8080 }, family: 'IPv6', accept: 'echo' }),
    );
    render(<NewListenerForm />);
    type('Host', ' [::1] ');
    type('Port', ' 8080');
    type('Backlog', '16');
    fireEvent.change(field('Accept mode'), { target: { value: 'echo' } });
    listen();
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(sentBody(fetch)).toStrictEqual({ host: '::1', port: 8080, backlog: 16, accept: 'echo' });
    await screen.findByText('Listening on [::1]:8080 (l-1)');
  });

  it('shows a one-line hint for the accept mode', () => {
    render(<NewListenerForm />);
    const accept = field('Accept mode');
    const hint = () => document.getElementById(accept.getAttribute('aria-describedby') ?? '')?.textContent;
    expect(hint()).toMatch(/read everything/);
    fireEvent.change(accept, { target: { value: 'hold' } });
    expect(hint()).toMatch(/never read.*Recv-Q/);
    fireEvent.change(accept, { target: { value: 'echo' } });
    expect(hint()).toMatch(/write back/);
  });

  it('warns, without refusing, when the host exposes the listener', () => {
    render(<NewListenerForm />);
    expect(within(form()).queryByText(/reachable from other hosts/)).toBeNull();
    type('Host', '0.0.0.0');
    const warning = within(form()).getByText(/reachable from other hosts/);
    expect(field('Host').getAttribute('aria-describedby')).toContain(warning.id);
    type('Host', '::');
    within(form()).getByText(/reachable from other hosts/);
    type('Host', '127.0.0.2');
    expect(within(form()).queryByText(/reachable from other hosts/)).toBeNull();
  });

  it('checks like the schema does, next to each field, and focuses the first invalid one', () => {
    const fetch = stubFetch(201, listenerRow());
    render(<NewListenerForm />);
    type('Host', 'localhost');
    type('Port', '80a');
    type('Backlog', '0');
    listen();
    expect(fetch).not.toHaveBeenCalled();
    expect(problemOf(field('Host'))?.textContent).toMatch(/IPv4 or IPv6 address/);
    expect(problemOf(field('Port'))?.textContent).toBe('must be an integer from 0 to 65535');
    expect(problemOf(field('Backlog'))?.textContent).toMatch(/from 1 to 65535/);
    expect(field('Host').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field('Host'));

    type('Host', '127.0.0.1');
    expect(problemOf(field('Host'))).toBeNull();
    expect(field('Host').getAttribute('aria-invalid')).toBe('false');
    type('Port', '65536');
    expect(problemOf(field('Port'))?.textContent).toMatch(/from 0 to 65535/);
    type('Port', '');
    expect(problemOf(field('Port'))?.textContent).toBe('Required');
    listen();
    expect(document.activeElement).toBe(field('Port'));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('puts EADDRINUSE with its explanation at the port', async () => {
    const fault = bindFault('EADDRINUSE', 98);
    stubFetch(409, apiError({ code: 'BIND_FAILED', message: 'EADDRINUSE: address already in use', fault }));
    render(<NewListenerForm />);
    type('Port', '41234');
    listen();
    const problem = await waitFor(() => problemOf(field('Port')) ?? Promise.reject(new Error('no problem yet')));
    expect(problem.textContent).toContain('EADDRINUSE 98: Address already in use');
    expect(problem.textContent).toContain(fault.explanation!.cause);
    expect(problem.textContent).toContain(fault.explanation!.fix);
    expect(document.activeElement).toBe(field('Port'));
    expect(problemOf(field('Host'))).toBeNull();

    type('Port', '41235'); // editing the field clears what the server said about it
    expect(problemOf(field('Port'))).toBeNull();
  });

  it('puts EADDRNOTAVAIL at the host', async () => {
    stubFetch(409, apiError({ code: 'BIND_FAILED', message: 'x', fault: bindFault('EADDRNOTAVAIL', 99) }));
    render(<NewListenerForm />);
    type('Host', '10.254.254.254');
    listen();
    await waitFor(() => expect(problemOf(field('Host'))?.textContent).toContain('EADDRNOTAVAIL 99'));
  });

  it('puts a 400 at the field the server names, and a limit beside the button', async () => {
    const message = 'backlog: must be an integer from 1 to 65535';
    stubFetch(400, apiError({ code: 'BAD_REQUEST', message, field: 'backlog' }));
    render(<NewListenerForm />);
    listen();
    await waitFor(() => expect(problemOf(field('Backlog'))?.textContent).toBe(message));
    expect(document.activeElement).toBe(field('Backlog'));

    stubFetch(
      429,
      apiError({ code: 'LIMIT_REACHED', message: 'limit maxListeners (64) reached', limit: 'maxListeners' }),
    );
    listen();
    const alert = await within(form()).findByText(/Limit maxListeners reached/);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    expect(problemOf(field('Backlog'))).toBeNull();
  });

  it('offers close on peer FIN, off by default, sent only when ticked', async () => {
    const fetch = stubFetch(201, listenerRow({ closeOnPeerFin: true }));
    render(<NewListenerForm />);
    const box = field('Close on peer FIN');
    expect(box).toHaveProperty('checked', false);
    const hint = document.getElementById(box.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toMatch(/recv\(\) == b''.*CLOSE_WAIT/);
    fireEvent.click(box);
    listen();
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(sentBody(fetch)).toStrictEqual({
      host: '127.0.0.1',
      port: 0,
      backlog: 511,
      accept: 'read',
      closeOnPeerFin: true,
    });
  });
});
