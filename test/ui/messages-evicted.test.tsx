// The Messages tab says how many older messages were dropped, and how many of them the total cap over all connections
// (framingMessagesTotalBytes) took.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessagesReply } from '../../shared';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import { conn } from '../frontend/detail-factories';
import { fakeApi, storeWith, withLayout } from './detail-fixtures';

withLayout();

const reply = (direction: 'in' | 'out'): MessagesReply => ({
  id: 'c-1',
  direction,
  framing: { kind: 'delimiter', delimiter: '\\n' },
  messages: [],
  pending: null,
  error: null,
  skippedBytes: 0,
  droppedMessages: direction === 'in' ? 1200 : 3,
  evictedMessages: direction === 'in' ? 1100 : 0,
  lastIndex: direction === 'in' ? 1200 : 3,
  more: false,
});

describe('Messages tab: dropped and evicted messages', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('names the total cap when it took some', async () => {
    const row = conn({ bytesIn: 4096, chunksIn: 2, framing: { kind: 'delimiter', delimiter: '\\n' } });
    fakeApi({ events: [], chunks: [] }, (c) => {
      const m = /\/messages\?direction=(in|out)/.exec(c.url);
      return m ? { status: 200, body: reply(m[1] as 'in' | 'out') } : undefined;
    });
    render(<DetailPane store={storeWith({ connections: [row] })} id="c-1" />);
    fireEvent.click(screen.getByRole('tab', { name: 'Messages' }));
    const incoming = await screen.findByRole('region', { name: 'Messages in' });
    const evicted = '1,200 older messages dropped (1,100 to keep all connections within framingMessagesTotalBytes).';
    expect(await paragraphs(incoming, evicted)).toHaveLength(1);
    const outgoing = screen.getByRole('region', { name: 'Messages out' });
    expect(await paragraphs(outgoing, '3 older messages dropped.')).toHaveLength(1);
  });
});

/** The paragraphs of the region reading exactly this text, once the reply is in (none: findAllByText throws). */
const paragraphs = (region: HTMLElement, text: string) =>
  screen.findAllByText((_, el) => el?.tagName === 'P' && el.textContent === text && region.contains(el));
