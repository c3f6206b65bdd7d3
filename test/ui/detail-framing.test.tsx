// Framing picker, Messages tab, responders editor and framed send in jsdom, against a stubbed REST API.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytesToBase64, encodeUtf8, type MessagesReply } from '../../shared';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import { conn } from '../frontend/detail-factories';
import { fakeApi, storeWith, withLayout } from './detail-fixtures';

withLayout();

const b64 = (s: string) => bytesToBase64(encodeUtf8(s));
const messages = (direction: 'in' | 'out'): MessagesReply => ({
  id: 'c-1',
  direction,
  framing: { kind: 'length', bytes: 4 },
  messages:
    direction === 'in'
      ? [
          { index: 1, start: 0, end: 10, payloadOffset: 4, reads: [1], length: 6, data: b64('PING a') },
          { index: 2, start: 10, end: 20, payloadOffset: 14, reads: [1, 2], length: 6, data: b64('{"b":1}') },
        ]
      : [],
  pending: direction === 'in' ? { start: 20, length: 2, reads: [2], data: b64('\0\0') } : null,
  error: null,
  skippedBytes: direction === 'in' ? 3 : 0,
  droppedMessages: 0,
  lastIndex: direction === 'in' ? 2 : 0,
  more: false,
});

describe('framing and responders in the detail pane', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('sets a framing preset and shows the messages with their reads', async () => {
    const row = conn({ bytesIn: 22, chunksIn: 2 });
    const api = fakeApi({ events: [], chunks: [] }, (c) => {
      if (c.method === 'PUT' && c.url.endsWith('/framing'))
        return { status: 200, body: { ...row, framing: (c.body as { framing: unknown }).framing } };
      const m = /\/messages\?direction=(in|out)/.exec(c.url);
      if (m) return { status: 200, body: messages(m[1] as 'in' | 'out') };
      return undefined;
    });
    render(<DetailPane store={storeWith({ connections: [row] })} id="c-1" />);
    const picker = screen.getByRole('form', { name: 'Framing rule' });
    fireEvent.change(within(picker).getByLabelText('Framing'), { target: { value: 'length-4-be' } });
    fireEvent.click(within(picker).getByRole('button', { name: 'Apply framing' }));
    await waitFor(() =>
      expect(within(picker).getByRole('status').textContent).toBe('Framing: 4-byte big-endian length prefix.'),
    );
    expect(api.calls.find((c) => c.method === 'PUT')!.body).toEqual({
      framing: { kind: 'length', bytes: 4, endian: 'big', includesHeader: false },
    });

    fireEvent.click(screen.getByRole('tab', { name: 'Messages' }));
    const incoming = await screen.findByRole('region', { name: 'Messages in' });
    await waitFor(() => expect(incoming.querySelectorAll('li.ms-msg')).toHaveLength(2));
    expect(incoming.textContent).toContain('split across 2 reads');
    expect(incoming.textContent).toContain('2 messages in 1 read');
    expect(incoming.textContent).toContain('{\n  "b": 1\n}');
    expect(incoming.querySelector('[data-pending]')!.textContent).toContain('pending');
    expect(incoming.textContent).toContain('3 bytes skipped');
  });

  it('refuses a bad custom delimiter inline, before any request', () => {
    const api = fakeApi({ events: [], chunks: [] });
    render(<DetailPane store={storeWith({ connections: [conn()] })} id="c-1" />);
    const picker = screen.getByRole('form', { name: 'Framing rule' });
    fireEvent.change(within(picker).getByLabelText('Framing'), { target: { value: 'delimiter' } });
    fireEvent.change(within(picker).getByLabelText('delimiter (escaped)'), { target: { value: '\\q' } });
    fireEvent.click(within(picker).getByRole('button', { name: 'Apply framing' }));
    expect(within(picker).getByRole('alert').textContent).toContain('position 0');
    expect(within(picker).getByLabelText('delimiter (escaped)').getAttribute('aria-invalid')).toBe('true');
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('saves responder rules, shows hits, and puts a server 400 next to its rule field', async () => {
    let reject = true;
    const api = fakeApi({ events: [], chunks: [] }, (c) => {
      if (!c.url.endsWith('/responders')) return undefined;
      if (c.method === 'GET')
        return {
          status: 200,
          body: { id: 'c-1', mode: 'off', rules: [], echoes: 0, replies: 0, suppressed: 0, lastError: null },
        };
      if (reject) {
        reject = false;
        return {
          status: 400,
          body: { error: { code: 'BAD_REQUEST', message: 'rules[0].match.regex: bad', field: 'rules[0].match.regex' } },
        };
      }
      const body = c.body as { mode: 'rules'; rules: object[] };
      return {
        status: 200,
        body: {
          id: 'c-1',
          mode: body.mode,
          rules: body.rules.map((r) => ({ ...r, hits: 2 })),
          echoes: 0,
          replies: 2,
          suppressed: 0,
          lastError: null,
        },
      };
    });
    render(<DetailPane store={storeWith({ connections: [conn()] })} id="c-1" />);
    fireEvent.click(screen.getByText('Responders', { selector: 'summary' }));
    const editor = await screen.findByRole('form', { name: 'Responders' });
    await waitFor(() => expect(api.calls.some((c) => c.url.endsWith('/responders'))).toBe(true));
    fireEvent.change(within(editor).getByLabelText('Responder mode'), { target: { value: 'rules' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Add rule' }));
    fireEvent.change(within(editor).getByLabelText('Rule 1 pattern'), { target: { value: '(' } });
    fireEvent.change(within(editor).getByLabelText('Rule 1 reply'), { target: { value: 'PONG $1' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save responders' }));
    const pattern = within(editor).getByLabelText('Rule 1 pattern');
    await waitFor(() => expect(pattern.getAttribute('aria-invalid')).toBe('true'));
    const alert = document.getElementById(pattern.getAttribute('aria-describedby')!)!;
    expect(alert.textContent).toContain('rules[0].match.regex: bad');
    fireEvent.change(pattern, { target: { value: '^PING (\\w+)' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save responders' }));
    await waitFor(() => expect(within(editor).getByLabelText('Rule 1 hits').textContent).toBe('2 hits'));
    expect(api.calls.filter((c) => c.method === 'PUT').at(-1)!.body).toEqual({
      mode: 'rules',
      rules: [{ match: { regex: '^PING (\\w+)' }, reply: { data: 'PONG $1', encoding: 'utf8' } }],
    });
  });

  it('sends escaped text framed with another rule', async () => {
    const api = fakeApi({ events: [], chunks: [] }, (c) =>
      c.method === 'POST'
        ? { status: 200, body: { id: 'c-1', bytes: 7, bytesOut: 7, queuedBytes: 0, writes: 1, stopped: null } }
        : undefined,
    );
    render(<DetailPane store={storeWith({ connections: [conn()] })} id="c-1" />);
    fireEvent.change(screen.getByLabelText('Payload'), { target: { value: 'hi\\n' } });
    fireEvent.change(screen.getByLabelText('Encoding'), { target: { value: 'escaped' } });
    fireEvent.change(screen.getByLabelText('Send framing'), { target: { value: 'other' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(api.calls.some((c) => c.method === 'POST')).toBe(true));
    expect(api.calls.find((c) => c.method === 'POST')!.body).toEqual({
      data: 'hi\\n',
      encoding: 'escaped',
      framing: { kind: 'length', bytes: 4, endian: 'big', includesHeader: false },
    });
  });

  it('marks a cut message preview with how many bytes it leaves out, and a cut pending tail too', async () => {
    const long = 'x'.repeat(2000 + 1234);
    const reply = (direction: 'in' | 'out'): MessagesReply => ({
      ...messages(direction),
      messages:
        direction === 'in'
          ? [
              {
                index: 1,
                start: 0,
                end: 4 + long.length,
                payloadOffset: 4,
                reads: [1],
                length: long.length,
                data: b64(long),
              },
            ]
          : [],
      // The server sends the first 4096 bytes of a pending tail: length says how long it really is.
      pending:
        direction === 'in' ? { start: 4 + long.length, length: 5000, reads: [2], data: b64('y'.repeat(4096)) } : null,
      lastIndex: direction === 'in' ? 1 : 0,
      skippedBytes: 0,
    });
    fakeApi({ events: [], chunks: [] }, (c) => {
      const m = /\/messages\?direction=(in|out)/.exec(c.url);
      return m ? { status: 200, body: reply(m[1] as 'in' | 'out') } : undefined;
    });
    render(
      <DetailPane store={storeWith({ connections: [conn({ framing: { kind: 'length', bytes: 4 } })] })} id="c-1" />,
    );
    fireEvent.click(screen.getByRole('tab', { name: 'Messages' }));
    const incoming = await screen.findByRole('region', { name: 'Messages in' });
    await waitFor(() => expect(incoming.querySelectorAll('li.ms-msg')).toHaveLength(1));
    const msg = incoming.querySelector('li.ms-msg')!;
    expect(msg.querySelector('pre')!.textContent).toBe('x'.repeat(2000));
    expect(msg.querySelector('.ms-more')!.textContent).toBe('… (1,234 more bytes)');
    const pending = incoming.querySelector('[data-pending]')!;
    expect(pending.querySelector('.ms-more')!.textContent).toBe('… (3,000 more bytes)');
  });
});
