// The dashboard's session filter in jsdom: sessions seen in the rows, named from GET /api/sessions, filter the table
// down to a session's listeners, their accepted connections and its clients.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../shared';
import { accepted, client, listener, opened, T0 } from '../frontend/table-factories';
import { mountApp, useTableViewport } from './app-harness';

// The colleagues' panes are tested on their own; here they are placeholders with the agreed props.
vi.mock('../../frontend/components/detail/DetailPane', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewListenerForm', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewConnectionForm', () => import('./app-placeholders'));

useTableViewport();
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const session = (id: string, name: string): Session => ({
  id,
  name,
  createdAt: T0,
  closedAt: null,
  listeners: [],
  connections: [],
});

function stubSessions(sessions: Session[]) {
  const fetch = vi.fn(async (input: string) => {
    if (input !== '/api/sessions') return new Response('{}', { status: 404 });
    return new Response(JSON.stringify({ sessions }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const shownIds = () =>
  [...screen.getByRole('table', { name: 'Connections' }).querySelectorAll<HTMLElement>('tbody tr[data-id]')].map(
    (r) => r.dataset.id,
  );

describe('session filter', () => {
  it('lists the sessions seen in rows by name and filters the table to one', async () => {
    const fetch = stubSessions([session('s-1', 'first run'), session('s-2', 'second run'), session('s-3', 'unused')]);
    mountApp([
      listener(1, { session: 's-1' }),
      accepted(2, 1, { session: 's-1' }),
      client(1, { session: 's-1' }),
      client(3, { session: 's-2' }),
      client(4),
    ]);
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Session filter' });
    await screen.findByRole('option', { name: 'first run (s-1)' });
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'All sessions',
      'first run (s-1)',
      'second run (s-2)',
    ]);
    expect(fetch).toHaveBeenCalledTimes(1);

    fireEvent.change(select, { target: { value: 's-1' } });
    expect(shownIds()).toEqual(['l-1', 'c-2', 'c-1']);
    fireEvent.change(select, { target: { value: 's-2' } });
    expect(shownIds()).toEqual(['c-3']);
    fireEvent.change(select, { target: { value: '' } });
    expect(shownIds()).toEqual(['l-1', 'c-2', 'c-1', 'c-3', 'c-4']);
  });

  it('no select without sessions; a new session in the stream brings it, names fetched again', async () => {
    const fetch = stubSessions([session('s-1', 'late')]);
    const { send } = mountApp([client(1)]);
    expect(screen.queryByRole('combobox', { name: 'Session filter' })).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
    send(opened(2, client(2, { session: 's-1' })));
    await screen.findByRole('option', { name: 'late (s-1)' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Session filter' }), { target: { value: 's-1' } });
    expect(shownIds()).toEqual(['c-2']);
  });

  it('shows the id when the name cannot be fetched', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('oops', { status: 500 })),
    );
    mountApp([client(1, { session: 's-7' })]);
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Session filter' });
    await act(async () => {});
    expect([...select.options].map((o) => o.textContent)).toEqual(['All sessions', 's-7']);
  });
});
