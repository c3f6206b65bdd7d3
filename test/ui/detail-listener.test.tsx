// The listener detail in jsdom: bind facts, exposed warning, accepted connections that open on click, Stop listening.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import type { ListenerRow } from '../../shared';
import { checked, conn, T0 } from '../frontend/detail-factories';
import { fakeApi, storeWith, withLayout } from './detail-fixtures';

withLayout();

const listener = (over: Partial<ListenerRow> = {}): ListenerRow => ({
  id: 'l-1',
  local: { address: '0.0.0.0', port: 4000 },
  family: 'IPv4',
  backlog: 128,
  accept: 'echo',
  exposed: true,
  state: 'listening',
  accepted: 2,
  dropped: 1,
  createdAt: T0,
  closedAt: null,
  fault: null,
  tcpState: 'LISTEN',
  recvQ: 3,
  sendQ: 128,
  ...over,
});

describe('DetailPane for a listener', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows how it listens, its accept queue and its accepted connections', async () => {
    const opened = checked({ type: 'listener/opened', seq: 1, at: T0, id: 'l-1', listener: listener() });
    fakeApi({ events: [opened], chunks: [] });
    const accepted = [
      conn({ id: 'c-2', kind: 'accepted', parent: 'l-1' }),
      conn({ id: 'c-3', kind: 'accepted', parent: 'l-1', state: 'closed' }),
      conn({ id: 'c-4' }),
    ];
    const store = storeWith({ listeners: [listener()], connections: accepted });
    render(<DetailPane store={store} id="l-1" />);
    const pane = document.querySelector('.dt-listener')!;
    expect(pane.textContent).toContain('*:4000');
    expect(pane.textContent).toContain('echo (write back every read)');
    expect(pane.textContent).toContain('accept queue 3 of backlog 128');
    expect(screen.getByRole('note').textContent).toContain('other hosts can connect');
    await waitFor(() => expect(screen.getByRole('list', { name: 'Timeline' }).textContent).toContain('listening on'));
    expect(screen.queryByText('c-4')).toBeNull();
    fireEvent.click(screen.getByText('c-3'));
    expect(store.getState().selected).toBe('c-3');
  });

  it('stops listening, closing the accepted connections when asked', async () => {
    const api = fakeApi({ events: [], chunks: [] }, (c) =>
      c.method === 'DELETE' ? { status: 200, body: listener({ state: 'closed' }) } : undefined,
    );
    render(<DetailPane store={storeWith({ listeners: [listener()] })} id="l-1" />);
    fireEvent.click(screen.getByLabelText('also close accepted connections'));
    fireEvent.click(screen.getByRole('button', { name: 'Stop listening' }));
    await waitFor(() =>
      expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain(
        'Stopped listening and closed the accepted connections.',
      ),
    );
    expect(api.calls.find((c) => c.method === 'DELETE')!.url).toBe('/api/listeners/l-1?connections=close');
  });

  it('cannot stop a listener that is closed', () => {
    fakeApi({ events: [], chunks: [] });
    render(<DetailPane store={storeWith({ listeners: [listener({ state: 'closed' })] })} id="l-1" />);
    expect((screen.getByRole('button', { name: 'Stop listening' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
