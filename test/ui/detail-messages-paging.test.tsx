// The Messages tab pages each direction by since/limit against a stub that pages like the server.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytesToBase64, encodeUtf8, type Message, type MessagesReply } from '../../shared';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import { conn } from '../frontend/detail-factories';
import { fakeApi, storeWith, withLayout } from './detail-fixtures';

withLayout();

const message = (index: number): Message => ({
  index,
  start: (index - 1) * 6,
  end: index * 6,
  payloadOffset: (index - 1) * 6 + 4,
  reads: [index],
  length: 2,
  data: bytesToBase64(encodeUtf8(`m${index % 10}`)),
});

/** `total` messages in, of which the oldest `dropped` are forgotten; none out. */
function server(total: number, dropped = 0) {
  const kept = Array.from({ length: total - dropped }, (_, i) => message(dropped + i + 1));
  return (url: URL): MessagesReply => {
    const direction = url.searchParams.get('direction') as 'in' | 'out';
    const since = Number(url.searchParams.get('since') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 1000);
    const after = direction === 'in' ? kept.filter((m) => m.index > since) : [];
    return {
      id: 'c-1',
      direction,
      framing: { kind: 'length', bytes: 4 },
      messages: after.slice(0, limit),
      pending: direction === 'in' ? { start: total * 6, length: 1, reads: [total + 1], data: 'AA==' } : null,
      error: null,
      skippedBytes: 0,
      droppedMessages: direction === 'in' ? dropped : 0,
      lastIndex: direction === 'in' ? total : 0,
      more: after.length > limit,
    };
  };
}

function setup(total: number, dropped = 0) {
  const reply = server(total, dropped);
  const api = fakeApi({ events: [], chunks: [] }, (c) =>
    c.url.includes('/messages?') ? { status: 200, body: reply(new URL(c.url, 'http://x')) } : undefined,
  );
  render(<DetailPane store={storeWith({ connections: [conn({ bytesIn: total * 6 })] })} id="c-1" />);
  fireEvent.click(screen.getByRole('tab', { name: 'Messages' }));
  const incoming = screen.getByRole('region', { name: 'Messages in' });
  const range = () => incoming.querySelector('.ms-range')?.textContent;
  const page = async (name: string, label: string) => {
    fireEvent.click(within(incoming).getByRole('button', { name }));
    await waitFor(() => expect(range()).toBe(label));
  };
  const urls = () => api.calls.filter((c) => c.url.includes('direction=in')).map((c) => c.url.split('?')[1]);
  return { incoming, range, page, urls };
}

describe('Messages paging', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('pages through 2,500 messages by since, with the pending tail only on the newest page', async () => {
    const { incoming, range, page, urls } = setup(2500);
    await waitFor(() => expect(range()).toBe('Messages 1–1,000 of 2,500'));
    const button = (name: string) => within(incoming).getByRole('button', { name }) as HTMLButtonElement;
    expect([button('First').disabled, button('Older').disabled, button('Newer').disabled]).toEqual([true, true, false]);
    expect(incoming.querySelectorAll('li.ms-msg')).toHaveLength(1000);
    expect(incoming.querySelector('[data-pending]')).toBeNull();

    await page('Newer', 'Messages 1,001–2,000 of 2,500');
    expect(urls().at(-1)).toBe('direction=in&since=1000&limit=1000');
    await page('Newest', 'Messages 1,501–2,500 of 2,500');
    expect(urls().at(-1)).toBe('direction=in&since=1500&limit=1000');
    expect(incoming.querySelector('li.ms-msg')!.getAttribute('data-index')).toBe('1501');
    expect(incoming.querySelector('[data-pending]')).not.toBeNull();
    expect([button('Newer').disabled, button('Newest').disabled]).toEqual([true, true]);
    await page('Older', 'Messages 501–1,500 of 2,500');
    expect(urls().at(-1)).toBe('direction=in&since=500&limit=1000');
    await page('First', 'Messages 1–1,000 of 2,500');

    const outgoing = screen.getByRole('region', { name: 'Messages out' });
    expect(outgoing.querySelector('.ms-range')!.textContent).toBe('No messages');
    expect(within(outgoing).queryByRole('button')).toBeNull();
  }, 20_000); // five renders of 1,000 list items take seconds in jsdom

  it('starts at the oldest message kept and shows no pager when everything fits', async () => {
    const { incoming, range } = setup(1200, 700);
    await waitFor(() => expect(range()).toBe('Messages 701–1,200 of 1,200'));
    expect(incoming.textContent).toContain('700 older messages dropped.');
    expect(within(incoming).queryByRole('button')).toBeNull();
    expect(incoming.querySelector('[data-pending]')).not.toBeNull();
  });
});
