// The detail pane's queue chart (kernel truth per socket): current values as text, lines drawn from the store's events.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueChart } from '../../frontend/components/detail/QueueChart';
import type { InspectorEvent, ListenerRow } from '../../shared';
import { checked, conn } from '../frontend/detail-factories';
import { listenerRow } from '../helpers/rows';
import { storeWith } from './detail-fixtures';

afterEach(cleanup);

const now = Date.now() * 1000;
const legend = (key: string) =>
  screen.getByRole('figure', { name: 'Queues over time' }).querySelector(`[data-series="${key}"] dd`)!.textContent;

describe('QueueChart', () => {
  it('shows a connection’s queues and bytes as text and as lines, following live events', () => {
    const row = conn({ recvQ: 0, sendQ: 0, tcpState: 'ESTABLISHED', bytesOut: 100 });
    const store = storeWith({ connections: [row] });
    render(<QueueChart store={store} row={row} />);
    const figure = screen.getByRole('figure', { name: 'Queues over time' });
    expect(legend('recvQ')).toBe('0 B');
    expect(legend('bytesOut')).toBe('100 B');
    const events: InspectorEvent[] = [
      checked({
        type: 'socket/kernel',
        seq: 101,
        at: now + 1e6,
        id: 'c-1',
        tcpState: 'ESTABLISHED',
        recvQ: 0,
        sendQ: 2_500_000,
      }),
      checked({ type: 'socket/queue', seq: 102, at: now + 1.5e6, id: 'c-1', queuedBytes: 7_340_032 }),
    ];
    act(() => {
      for (const e of events) store.receive(e);
      store.flush();
    });
    expect(legend('sendQ')).toBe('2.4 MiB');
    expect(legend('queued')).toBe('7.0 MiB');
    const queues = figure.querySelector('[data-plot="queues"]')!;
    expect(queues.textContent).toContain('8 MiB'); // the scale: the next power of two above the peak
    expect(queues.querySelectorAll('path')).toHaveLength(3);
    for (const path of queues.querySelectorAll('path')) expect(path.getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+/);
    expect(within(figure).getByText(/last 30 s/)).toBeTruthy();
  });

  it('shows a listener’s accept queue and backlog', () => {
    const row: ListenerRow = {
      id: 'l-1',
      local: { address: '127.0.0.1', port: 4000 },
      family: 'IPv4',
      backlog: 16,
      accept: 'hold',
      exposed: false,
      state: 'listening',
      accepted: 0,
      dropped: 0,
      createdAt: now,
      closedAt: null,
      fault: null,
      tcpState: 'LISTEN',
      recvQ: 0,
      sendQ: 16,
    };
    const store = storeWith({ listeners: [row] });
    render(<QueueChart store={store} row={row} />);
    act(() => {
      store.receive(
        checked({
          type: 'listener/kernel',
          seq: 101,
          at: now + 1e6,
          id: 'l-1',
          tcpState: 'LISTEN',
          recvQ: 3,
          sendQ: 16,
        }),
      );
      store.flush();
    });
    expect(legend('recvQ')).toBe('3');
    expect(screen.getByText('backlog').nextSibling!.textContent).toBe('16');
  });

  it('labels a listener’s chart with its queue against the backlog, and the scale as a scale', () => {
    const row = listenerRow({ backlog: 4, tcpState: 'LISTEN', recvQ: 0, sendQ: 4, createdAt: now });
    render(<QueueChart store={storeWith({ listeners: [row] })} row={row} />);
    const plot = screen.getByRole('figure', { name: 'Queues over time' }).querySelector('[data-plot="accept queue"]')!;
    expect(plot.textContent).toBe('accept queue 0 of backlog 4 · scale 0–4');
    cleanup();
    // A connection's plots say their scale is one.
    const c = conn({ recvQ: 0, sendQ: 0, tcpState: 'ESTABLISHED' });
    render(<QueueChart store={storeWith({ connections: [c] })} row={c} />);
    const queues = screen.getByRole('figure', { name: 'Queues over time' }).querySelector('[data-plot="queues"]')!;
    expect(queues.textContent).toBe('queues · scale 0–1 KiB');
  });
});
