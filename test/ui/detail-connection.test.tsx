// The connection detail in jsdom: history by REST plus live events, the three byte views, send and actions.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import { chunk, conn, data, fault, faultEvent, opened, state } from '../frontend/detail-factories';
import { fakeApi, storeWith, withLayout } from './detail-fixtures';

withLayout();

const tab = (name: string) => fireEvent.click(screen.getByRole('tab', { name }));
const list = (name: string) => screen.getByRole('list', { name });
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

function setup(row = conn({ bytesIn: 5, bytesOut: 5, chunksIn: 1, chunksOut: 1 })) {
  const hello = chunk(1, 'hello', 'out');
  const world = chunk(2, 'world\r\n', 'in');
  const api = fakeApi({
    events: [opened(1), state(2, 'connecting', 'open'), data(3, hello), data(4, world, { at: hello.at + 500_000 })],
    chunks: [hello, world],
  });
  const store = storeWith({ connections: [row] });
  render(<DetailPane store={store} id={row.id} />);
  return { api, store };
}

describe('DetailPane for a connection', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks for a selection when nothing is selected', () => {
    render(<DetailPane store={storeWith({})} id={null} />);
    expect(screen.getByText('Select a row (↑/↓, Enter)')).toBeTruthy();
  });

  it('shows the header and the history as a timeline', async () => {
    const { api } = setup();
    expect(screen.getByRole('heading', { name: 'c-1' })).toBeTruthy();
    expect(screen.getByText('127.0.0.1:50000')).toBeTruthy();
    await waitFor(() => expect(within(list('Timeline')).getAllByRole('listitem')).toHaveLength(4));
    const timeline = list('Timeline').textContent!;
    expect(timeline).toContain('connecting → open');
    expect(timeline).toContain('+2.000 ms');
    expect(timeline).toContain('→ 5 B');
    expect(timeline).toContain('← 7 B');
    expect(api.calls.map((c) => c.url)).toEqual([
      '/api/events?id=c-1&since=0&limit=1000',
      '/api/connections/c-1/chunks?since=0&limit=1000',
    ]);
  });

  it('shows each chunk in Reads, Hex and Text, and live chunks as they arrive', async () => {
    const { store } = setup();
    tab('Reads');
    await waitFor(() => expect(within(list('Reads')).getAllByRole('listitem')).toHaveLength(2));
    expect(list('Reads').textContent).toContain('world\\r\\n');
    act(() => {
      store.receive(data(5, chunk(3, 'more', 'in', 7)));
      store.flush();
    });
    expect(within(list('Reads')).getAllByRole('listitem')).toHaveLength(3);
    tab('Hex');
    expect(list('Hex').textContent).toContain('68 65 6c 6c 6f');
    expect(list('Hex').textContent).toContain('#3 ← in 4 B at offset 7');
    tab('Text');
    const text = list('Text');
    expect(text.querySelectorAll('.esc')[0]!.textContent).toBe('\\r\\n');
    expect(text.textContent).toContain('more');
  });

  it('fetches bytes the stream left out rather than showing a hole', async () => {
    const { api, store } = setup();
    tab('Reads');
    await waitFor(() => expect(within(list('Reads')).getAllByRole('listitem')).toHaveLength(2));
    const late = chunk(3, 'late bytes', 'in', 7);
    api.fetch.mockClear();
    const fetched = fakeApi({ events: [], chunks: [late] });
    act(() => {
      store.receive(data(5, late, { truncated: true }));
      store.flush();
    });
    await waitFor(() => expect(list('Reads').textContent).toContain('late bytes'));
    expect(fetched.calls[0]!.url).toBe('/api/connections/c-1/chunks?since=2&limit=1000');
  });

  it('refuses bad hex before sending, naming the position, and sends good input', async () => {
    const { api } = setup();
    fireEvent.change(screen.getByLabelText('Encoding'), { target: { value: 'hex' } });
    fireEvent.change(screen.getByLabelText('Payload'), { target: { value: '48 6x' } });
    fireEvent.click(button('Send'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('position 4');
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);

    const sent = fakeApi({ events: [], chunks: [] }, (c) =>
      c.method === 'POST'
        ? { status: 200, body: { id: 'c-1', bytes: 2, bytesOut: 7, queuedBytes: 0, writes: 1, stopped: null } }
        : undefined,
    );
    fireEvent.change(screen.getByLabelText('Payload'), { target: { value: '48 69' } });
    fireEvent.click(button('Send'));
    await waitFor(() => expect(sent.calls.find((c) => c.method === 'POST')).toBeTruthy());
    const post = sent.calls.find((c) => c.method === 'POST')!;
    expect([post.url, post.body]).toEqual(['/api/connections/c-1/send', { data: '48 69', encoding: 'hex' }]);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('shows a refused action inline with the API code', async () => {
    setup();
    fakeApi({ events: [], chunks: [] }, (c) =>
      c.url.endsWith('/reset')
        ? { status: 409, body: { error: { code: 'INVALID_STATE', message: 'connection c-1 is closed: cannot reset' } } }
        : undefined,
    );
    fireEvent.click(button('Reset'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('INVALID_STATE connection c-1 is closed: cannot reset');
  });

  it('enables only the actions the state allows', () => {
    setup(conn({ state: 'half-closed-local' }));
    expect(button('Send').disabled).toBe(true);
    expect(button('Half-close').disabled).toBe(true);
    expect(button('Reset').disabled).toBe(true);
    expect(button('Close').disabled).toBe(false);
    expect(button('Pause reading').disabled).toBe(false);
    cleanup();
    setup(conn({ state: 'failed', fault: fault('ECONNRESET', 104) }));
    for (const name of ['Send', 'Half-close', 'Close', 'Reset', 'Pause reading'])
      expect(button(name).disabled).toBe(true);
    expect(screen.getAllByText('ECONNRESET 104').length).toBeGreaterThan(0);
    cleanup();
    setup(conn({ paused: true }));
    expect(button('Resume reading').disabled).toBe(false);
  });

  it('shows an errno as a card with its cause and fix, and the retry', async () => {
    const api = fakeApi({ events: [opened(1), faultEvent(2, 1, 400)], chunks: [] });
    render(<DetailPane store={storeWith({ connections: [conn({ state: 'connecting' })] })} id="c-1" />);
    await waitFor(() => expect(list('Timeline').textContent).toContain('ECONNREFUSED 111'));
    const card = list('Timeline').querySelector('.dt-fault')!;
    expect(card.textContent).toContain('connect() to 127.0.0.1:4000');
    expect(card.textContent).toContain('retry in 400 ms');
    expect(card.textContent).toContain('Nothing listens there.');
    expect(card.textContent).toContain('Start the server.');
    expect(api.calls).toHaveLength(2);
  });

  it('copies the send form as a curl command with a token placeholder', async () => {
    setup();
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    fireEvent.change(screen.getByLabelText('Payload'), { target: { value: 'hi' } });
    fireEvent.click(button('Copy as curl'));
    await waitFor(() => expect(writeText).toHaveBeenCalled());
    const cmd = (writeText.mock.calls[0] as unknown as [string])[0];
    expect(cmd).toContain('$SOCKSCOPE_TOKEN');
    expect(cmd).toContain(`'${window.location.origin}/api/connections/c-1/send'`);
    expect(cmd).toContain(`'{"data":"hi","encoding":"utf8"}'`);
  });

  it('moves between the views with the arrow keys, as a tab list does', () => {
    setup();
    const timeline = screen.getByRole('tab', { name: 'Timeline' });
    expect(timeline.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(timeline, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Reads' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Reads' }));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(screen.getByRole('tab', { name: 'Text' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(
      screen.getByRole('tab', { name: 'Text' }).id,
    );
  });

  it('copies the capture as a hex dump', async () => {
    setup();
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    await waitFor(() => expect(button('Copy as hex').disabled).toBe(false));
    fireEvent.click(button('Copy as hex'));
    await waitFor(() => expect(writeText).toHaveBeenCalled());
    const dump = (writeText.mock.calls[0] as unknown as [string])[0];
    expect(dump).toContain('-- #1 → out 5 B at offset 0');
    expect(dump).toContain('← 00000000  77 6f 72 6c 64 0d 0a');
    await screen.findByText('Copied 2 chunks as a hex dump.');
  });
});
