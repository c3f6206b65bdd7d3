// The Host sockets tab in jsdom: tabs, the virtualized table, filters and sort, own sockets leading back to the
// connections table, polling only while shown and not paused, and a clean message without a kernel view.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventStreamOptions } from '../../frontend/api/event-stream';
import { App } from '../../frontend/App';
import { Store } from '../../frontend/state/store';
import type { HostSocket, HostSocketsReply } from '../../shared';
import { client, listener, snapshot, T0 } from '../frontend/table-factories';
import { useTableViewport } from './app-harness';

// The colleagues' panes are tested on their own; here they are placeholders with the agreed props.
vi.mock('../../frontend/components/detail/DetailPane', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewListenerForm', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewConnectionForm', () => import('./app-placeholders'));

useTableViewport();

const sock = (port: number, over: Partial<HostSocket> = {}): HostSocket => ({
  proto: 'tcp',
  state: 'ESTABLISHED',
  recvQ: 0,
  sendQ: 0,
  local: { address: '127.0.0.1', port },
  remote: { address: '127.0.0.1', port: 5432 },
  uid: 1000,
  inode: port,
  pid: null,
  process: null,
  ownerId: null,
  ...over,
});
const OWN = sock(4001, {
  state: 'LISTEN',
  remote: { address: '0.0.0.0', port: 0 },
  ownerId: 'l-1',
  pid: 42,
  process: 'node',
  sendQ: 511,
});
const SSHD = sock(22, {
  state: 'LISTEN',
  local: { address: '0.0.0.0', port: 22 },
  remote: { address: '0.0.0.0', port: 0 },
  uid: 0,
  pid: 7,
  process: 'sshd',
});

let reply: HostSocketsReply;
let urls: string[];
beforeEach(() => {
  reply = { kernel: { available: true, reason: null }, at: T0, sockets: [SSHD, OWN, sock(50000, { recvQ: 123456 })] };
  urls = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Lets fetch promises settle and runs timers due within `ms`. */
const advance = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms));

async function mount() {
  const store = new Store(() => {});
  let stream: EventStreamOptions | undefined;
  render(<App store={store} connect={(o) => ((stream = o), { close: () => {} })} />);
  act(() => {
    stream!.onStatus('live');
    store.receive(snapshot(1, [listener(1, { local: { address: '127.0.0.1', port: 4001 } }), client(2)]));
    store.flush();
  });
  return store;
}

const tab = (name: string) => screen.getByRole('tab', { name });
const hostTable = () => screen.getByRole('table', { name: 'Host sockets' });
const hostRows = () => [...hostTable().querySelectorAll<HTMLTableRowElement>('tbody tr[data-state]')];
const ports = () => hostRows().map((r) => r.querySelector('[data-col="local"]')!.textContent);

async function openHost() {
  fireEvent.click(tab('Host sockets'));
  await advance();
}

describe('Host sockets tab', () => {
  it('switches views by tab, shows every socket like ss, and marks and links sockscope’s own', async () => {
    const store = await mount();
    expect(tab('Connections').getAttribute('aria-selected')).toBe('true');
    expect(urls).toEqual([]); // nothing is polled while the tab is not shown
    await openHost();
    expect(tab('Host sockets').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(tab('Host sockets').id);
    expect(
      within(hostTable())
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual([
      'Proto',
      'State',
      'Recv-Q',
      'Send-Q',
      'Local Address',
      'Peer Address',
      'uid',
      'inode',
      'Process',
      'sockscope',
    ]);
    expect(ports()).toEqual(['*:22', '127.0.0.1:4001', '127.0.0.1:50000']);
    const own = hostRows()[1]!;
    expect(own.className).toContain('own');
    expect(own.querySelector('[data-col="process"]')!.textContent).toBe('42/node');
    expect(hostRows()[2]!.querySelector('[data-col="recvq"]')!.textContent).toBe('123456');
    expect(screen.getByText(/3 sockets · 1 sockscope's/)).toBeTruthy();

    fireEvent.click(within(own).getByRole('button', { name: 'l-1' }));
    expect(store.getState().selected).toBe('l-1');
    expect(tab('Connections').getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByRole('table', { name: 'Host sockets' })).toBeNull();
  });

  it('polls about once a second while shown, never while paused or on the other tab', async () => {
    await mount();
    await openHost();
    expect(urls).toEqual(['/api/host/sockets']);
    await advance(1000);
    expect(urls).toHaveLength(2);
    reply = { ...reply, sockets: [...reply.sockets, sock(50001)] };
    await advance(1000);
    expect(urls).toHaveLength(3);
    expect(ports()).toContain('127.0.0.1:50001');

    fireEvent.click(screen.getByRole('button', { name: 'Pause refresh' }));
    expect(screen.getByRole('button', { name: 'Pause refresh' }).getAttribute('aria-pressed')).toBe('true');
    await advance(5000);
    expect(urls).toHaveLength(3);
    expect(screen.getByText(/paused/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Pause refresh' }));
    await advance();
    expect(urls).toHaveLength(4);

    fireEvent.click(tab('Connections'));
    await advance(5000);
    expect(urls).toHaveLength(4);
  });

  it('filters by text, state and port (state and port asked of the server too) and sorts by a header', async () => {
    await mount();
    await openHost();
    fireEvent.change(screen.getByRole('textbox', { name: 'Filter' }), { target: { value: 'sshd' } });
    await advance();
    expect(ports()).toEqual(['*:22']);
    fireEvent.change(screen.getByRole('textbox', { name: 'Filter' }), { target: { value: '' } });

    fireEvent.change(screen.getByRole('combobox', { name: 'State filter' }), { target: { value: 'LISTEN' } });
    await advance();
    expect(urls.at(-1)).toBe('/api/host/sockets?state=LISTEN');
    expect(ports()).toEqual(['*:22', '127.0.0.1:4001']);

    fireEvent.change(screen.getByRole('textbox', { name: 'Port' }), { target: { value: '4001' } });
    await advance();
    expect(urls.at(-1)).toBe('/api/host/sockets?state=LISTEN&port=4001');
    expect(ports()).toEqual(['127.0.0.1:4001']);

    fireEvent.change(screen.getByRole('combobox', { name: 'State filter' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Port' }), { target: { value: '' } });
    await advance();
    fireEvent.click(within(hostTable()).getByRole('button', { name: /Recv-Q/ }));
    fireEvent.click(within(hostTable()).getByRole('button', { name: /Recv-Q/ }));
    expect(ports()[0]).toBe('127.0.0.1:50000');
    expect(hostTable().querySelector('th[aria-sort="descending"]')!.textContent).toContain('Recv-Q');
  });

  it('renders thousands of sockets as a window of rows', async () => {
    reply = { ...reply, sockets: Array.from({ length: 5000 }, (_, i) => sock(10000 + i)) };
    await mount();
    await openHost();
    expect(hostTable().getAttribute('aria-rowcount')).toBe('5001');
    expect(hostRows().length).toBeGreaterThan(10);
    expect(hostRows().length).toBeLessThan(60);
  });

  it('says why when the kernel view is unavailable, and the connections tab still works', async () => {
    reply = { kernel: { available: false, reason: 'no /proc/net/tcp: not Linux' }, at: T0, sockets: [] };
    await mount();
    await openHost();
    expect(screen.getByRole('heading', { name: 'The kernel view is not available here' })).toBeTruthy();
    expect(screen.getByText('no /proc/net/tcp: not Linux')).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Host sockets' })).toBeNull();
    fireEvent.click(tab('Connections'));
    expect(screen.getByRole('table', { name: 'Connections' })).toBeTruthy();
  });
});
