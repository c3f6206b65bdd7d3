// Settings changed elsewhere (a script's PUT, another tab) reach an open detail pane through config events, and the
// responders editor says what framing does to a reply before it is saved.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import type { Store } from '../../frontend/state/store';
import type { EventOf, FramingRule, ListenerRow, MessagesReply, RespondersReply } from '../../shared';
import { checked, conn, T0 } from '../frontend/detail-factories';
import { listenerRow } from '../helpers/rows';
import { fakeApi, storeWith, withLayout, type Call } from './detail-fixtures';

withLayout();

let seq = 100;
const socketConfig = (
  over: Partial<EventOf<'socket/config'>> & Pick<EventOf<'socket/config'>, 'changed'>,
): EventOf<'socket/config'> =>
  checked({
    type: 'socket/config',
    seq: ++seq,
    at: T0 + seq,
    id: 'c-1',
    framing: null,
    responders: { mode: 'off', rules: 0 },
    noDelay: false,
    keepAlive: false,
    closeOnPeerFin: false,
    captureHeadBytes: 256 * 1024,
    ...over,
  });

const feed = (store: Store, ...events: Parameters<Store['receive']>[0][]) =>
  act(() => {
    for (const e of events) store.receive(e);
    store.flush();
  });

const messagesOf =
  (framing: FramingRule | null) =>
  (direction: 'in' | 'out'): MessagesReply => ({
    id: 'c-1',
    direction,
    framing,
    messages: [],
    pending: null,
    error: null,
    skippedBytes: 0,
    droppedMessages: 0,
    lastIndex: 0,
    more: false,
  });

const responders = (over: Partial<RespondersReply> = {}): RespondersReply => ({
  id: 'c-1',
  mode: 'off',
  rules: [],
  echoes: 0,
  replies: 0,
  suppressed: 0,
  lastError: null,
  ...over,
});

const FIXED: FramingRule = { kind: 'fixed', size: 16 };
const isMessages = (c: Call) => c.url.includes('/messages?');

describe('live settings in the detail pane', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('a framing rule set over REST shows at once: picker, fields, Messages tab and options', async () => {
    let framing: FramingRule | null = null;
    const api = fakeApi({ events: [], chunks: [] }, (c) => {
      const m = /\/messages\?direction=(in|out)/.exec(c.url);
      return m ? { status: 200, body: messagesOf(framing)(m[1] as 'in' | 'out') } : undefined;
    });
    const store = storeWith({ connections: [conn({ bytesIn: 32, chunksIn: 2 })] });
    render(<DetailPane store={store} id="c-1" />);
    const picker = screen.getByRole('form', { name: 'Framing rule' });
    const inForce = () => within(picker).getByLabelText('Framing in force').textContent;
    expect(inForce()).toBe('none');
    fireEvent.click(screen.getByRole('tab', { name: 'Messages' }));
    await waitFor(() => expect(screen.getByText(/^Framing: none/)).toBeTruthy());
    const asked = api.calls.filter(isMessages).length;

    // A script sets fixed 16 over REST: only the event tells this page.
    framing = FIXED;
    feed(store, socketConfig({ changed: 'framing', framing: FIXED }));
    expect(inForce()).toBe('fixed 16-byte messages');
    expect(within(picker).getByLabelText('Framing')).toHaveProperty('value', 'fixed');
    expect(within(picker).getByLabelText('size (bytes)')).toHaveProperty('value', '16');
    await waitFor(() => expect(api.calls.filter(isMessages).length).toBeGreaterThan(asked));
    await waitFor(() => expect(screen.getByText('Framing: fixed 16-byte messages')).toBeTruthy());

    // Options and responders from the same stream, in the header.
    const options = () => document.querySelector('[data-settings="options"]')!.textContent;
    const brief = () => document.querySelector('[data-settings="responders"]')!.textContent;
    expect(options()).toBe('TCP_NODELAY off · SO_KEEPALIVE off · capture head 256 KiB');
    expect(brief()).toBe('off');
    feed(
      store,
      socketConfig({
        changed: 'options',
        framing: FIXED,
        noDelay: true,
        keepAlive: true,
        closeOnPeerFin: true,
        captureHeadBytes: 64 * 1024,
      }),
    );
    expect(options()).toBe('TCP_NODELAY on · SO_KEEPALIVE on · capture head 64.0 KiB · closes on peer FIN');
    feed(store, socketConfig({ changed: 'responders', framing: FIXED, responders: { mode: 'rules', rules: 1 } }));
    expect(brief()).toBe('1 rule');
    expect(inForce()).toBe('fixed 16-byte messages');

    // Fields being edited are the user's: a new rule shows as in force, the fields stay as typed.
    fireEvent.change(within(picker).getByLabelText('Framing'), { target: { value: 'newline' } });
    feed(store, socketConfig({ changed: 'framing', framing: { kind: 'length', bytes: 2 } }));
    expect(inForce()).toBe('2-byte big-endian length prefix');
    expect(within(picker).getByLabelText('Framing')).toHaveProperty('value', 'newline');
  });

  it('the rule this pane applied shows at once, and a later change from elsewhere replaces it', async () => {
    fakeApi({ events: [], chunks: [] }, (c) =>
      c.method === 'PUT' && c.url.endsWith('/framing')
        ? { status: 200, body: conn({ framing: (c.body as { framing: FramingRule }).framing }) }
        : undefined,
    );
    const store = storeWith({ connections: [conn()] });
    render(<DetailPane store={store} id="c-1" />);
    const picker = screen.getByRole('form', { name: 'Framing rule' });
    const inForce = () => within(picker).getByLabelText('Framing in force').textContent;
    fireEvent.change(within(picker).getByLabelText('Framing'), { target: { value: 'newline' } });
    fireEvent.click(within(picker).getByRole('button', { name: 'Apply framing' }));
    // The reply comes before the event: the applied rule shows without waiting for it.
    await waitFor(() => expect(inForce()).toBe('delimiter \\n'));
    feed(store, socketConfig({ changed: 'framing', framing: FIXED }));
    expect(inForce()).toBe('fixed 16-byte messages');
  });

  it('an open responders editor reloads the rules a config event announces, unless it is being edited', async () => {
    let server = responders();
    const api = fakeApi({ events: [], chunks: [] }, (c) =>
      c.url.endsWith('/responders') && c.method === 'GET' ? { status: 200, body: server } : undefined,
    );
    const store = storeWith({ connections: [conn()] });
    render(<DetailPane store={store} id="c-1" />);
    fireEvent.click(screen.getByText('Responders', { selector: 'summary' }));
    const editor = await screen.findByRole('form', { name: 'Responders' });
    await waitFor(() => expect(api.calls.some((c) => c.url.endsWith('/responders'))).toBe(true));
    expect(within(editor).getByLabelText('Responder mode')).toHaveProperty('value', 'off');

    server = responders({ mode: 'rules', rules: [{ match: { equals: 'PING' }, reply: { data: 'PONG' }, hits: 1 }] });
    feed(store, socketConfig({ changed: 'responders', responders: { mode: 'rules', rules: 1 } }));
    await waitFor(() => expect(within(editor).getByLabelText('Rule 1 pattern')).toHaveProperty('value', 'PING'));
    expect(within(editor).getByLabelText('Responder counters').textContent).toBe('0 replies, 0 echoes');

    // Editing: another change is announced, the drafts are kept and the user is told.
    fireEvent.change(within(editor).getByLabelText('Rule 1 reply'), { target: { value: 'PONG!' } });
    server = responders({ mode: 'echo', echoes: 1, replies: 1 });
    feed(store, socketConfig({ changed: 'responders', responders: { mode: 'echo', rules: 0 } }));
    await waitFor(() => expect(within(editor).getByRole('note').textContent).toMatch(/changed elsewhere/));
    expect(within(editor).getByLabelText('Rule 1 reply')).toHaveProperty('value', 'PONG!');
    expect(within(editor).getByLabelText('Responder counters').textContent).toBe('1 reply, 1 echo');
  });

  it('a listener shows close-on-FIN, the capture head, and its framing and responders as listener/config announces them', () => {
    fakeApi({ events: [], chunks: [] });
    const row: ListenerRow = listenerRow({ closeOnPeerFin: true, responders: { mode: 'off', rules: 0 } });
    const store = storeWith({ listeners: [row] });
    render(<DetailPane store={store} id="l-1" />);
    const setting = (name: string) => document.querySelector(`[data-settings="${name}"]`)!.textContent;
    expect(setting('close-on-fin')).toBe('close');
    expect(setting('responders')).toBe('off');
    expect(setting('capture-head')).toBe('default');
    feed(
      store,
      checked({
        type: 'listener/config',
        seq: ++seq,
        at: T0,
        id: 'l-1',
        changed: 'responders',
        framing: { kind: 'delimiter', delimiter: '\\r\\n' },
        responders: { mode: 'rules', rules: 3 },
        closeOnPeerFin: true,
        captureHeadBytes: null,
      }),
    );
    expect(setting('responders')).toBe('3 rules');
    expect(setting('capture-head')).toBe('default');
    feed(
      store,
      checked({
        type: 'listener/config',
        seq: ++seq,
        at: T0,
        id: 'l-1',
        changed: 'options',
        framing: { kind: 'delimiter', delimiter: '\\r\\n' },
        responders: { mode: 'rules', rules: 3 },
        closeOnPeerFin: true,
        captureHeadBytes: 4096,
      }),
    );
    expect(setting('capture-head')).toBe('4096 B');
    const picker = screen.getByRole('form', { name: 'Framing rule' });
    expect(within(picker).getByLabelText('Framing in force').textContent).toMatch(/^delimiter \\r\\n — inherited/);
  });
});

describe('the reply hint', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('says the delimiter is added, and warns when the reply already ends with it', async () => {
    fakeApi({ events: [], chunks: [] }, (c) =>
      c.url.endsWith('/responders') ? { status: 200, body: responders() } : undefined,
    );
    const store = storeWith({ connections: [conn({ framing: { kind: 'delimiter', delimiter: '\\n' } })] });
    render(<DetailPane store={store} id="c-1" />);
    fireEvent.click(screen.getByText('Responders', { selector: 'summary' }));
    const editor = await screen.findByRole('form', { name: 'Responders' });
    fireEvent.change(within(editor).getByLabelText('Responder mode'), { target: { value: 'rules' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Add rule' }));
    const reply = within(editor).getByLabelText('Rule 1 reply');
    const hint = () => document.getElementById(reply.getAttribute('aria-describedby') ?? '');
    expect(hint()).toBeNull();
    fireEvent.change(reply, { target: { value: 'PONG' } });
    expect(hint()?.textContent).toBe('The delimiter \\n is added: this reply is sent as PONG\\n');
    fireEvent.change(reply, { target: { value: 'PONG\\n' } });
    fireEvent.change(within(editor).getByLabelText('Rule 1 reply encoding'), { target: { value: 'escaped' } });
    expect(hint()?.dataset.hint).toBe('problem');
    expect(hint()?.textContent).toMatch(/already ends with the delimiter \\n.*never sent/);
    // Without framing there is nothing to add: no hint.
    feed(store, socketConfig({ changed: 'framing', framing: null }));
    expect(hint()).toBeNull();
  });
});
