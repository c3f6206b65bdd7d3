// The Messages tab shows a framing error (a frame over framingPendingPerConnectionBytes, say) with the bytes it dropped.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessagesReply } from '../../shared';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import { conn } from '../frontend/detail-factories';
import { fakeApi, storeWith, withLayout } from './detail-fixtures';

withLayout();

const ERROR =
  'length header announces 16777216 bytes; the limit is 1048576 (framingPendingPerConnectionBytes) (frame at stream offset 0)';
const reply = (direction: 'in' | 'out'): MessagesReply => ({
  id: 'c-1',
  direction,
  framing: { kind: 'length', bytes: 4 },
  messages: [],
  pending: null,
  error: direction === 'in' ? ERROR : null,
  skippedBytes: 0,
  droppedBytes: direction === 'in' ? 4_194_308 : 0,
  droppedMessages: 0,
  lastIndex: 0,
  more: false,
});

describe('Messages tab: framing error', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the error and how many bytes went undecoded', async () => {
    const row = conn({ bytesIn: 4_194_308, chunksIn: 64, framing: { kind: 'length', bytes: 4 }, framingError: ERROR });
    fakeApi({ events: [], chunks: [] }, (c) => {
      const m = /\/messages\?direction=(in|out)/.exec(c.url);
      return m ? { status: 200, body: reply(m[1] as 'in' | 'out') } : undefined;
    });
    render(<DetailPane store={storeWith({ connections: [row] })} id="c-1" />);
    fireEvent.click(screen.getByRole('tab', { name: 'Messages' }));
    const incoming = await screen.findByRole('region', { name: 'Messages in' });
    await waitFor(() => expect(incoming.querySelector('[role="alert"]')).not.toBeNull());
    expect(incoming.querySelector('[role="alert"]')!.textContent).toBe(
      `FRAMING ${ERROR} (4,194,308 bytes dropped undecoded)`,
    );
    const outgoing = screen.getByRole('region', { name: 'Messages out' });
    expect(outgoing.querySelector('[role="alert"]')).toBeNull();
  });
});
