// The whole App in jsdom over a hand-fed Store: mounted live with a snapshot, frames sent and flushed by hand.
import { act, render } from '@testing-library/react';
import { afterAll, beforeAll, vi } from 'vitest';
import type { EventStreamOptions } from '../../frontend/api/event-stream';
import { App } from '../../frontend/App';
import { Store } from '../../frontend/state/store';
import type { ConnectionRow, ListenerRow, StreamFrame } from '../../shared';
import { snapshot } from '../frontend/table-factories';

/** Renders the App, marks the link live and feeds it a snapshot of `rows` (seq 1). */
export function mountApp(rows: (ListenerRow | ConnectionRow)[]) {
  const store = new Store(() => {}); // frames are flushed by hand
  let stream: EventStreamOptions | undefined;
  const close = vi.fn();
  render(
    <App
      store={store}
      connect={(o) => {
        stream = o;
        return { close };
      }}
    />,
  );
  const send = (...frames: StreamFrame[]) =>
    act(() => {
      for (const f of frames) store.receive(f);
      store.flush();
    });
  act(() => stream!.onStatus('live'));
  send(snapshot(1, rows));
  return {
    store,
    send,
    status: (s: Parameters<EventStreamOptions['onStatus']>[0], why?: string) => act(() => stream!.onStatus(s, why)),
    /** The stream's close, called when the App unmounts. */
    close,
  };
}

/** jsdom has no layout: the table's scroll boxes get a `height` px viewport so the virtualizer renders rows. */
export function useTableViewport(height = 600): void {
  const saved = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
  beforeAll(() => {
    Object.defineProperty(Element.prototype, 'clientHeight', {
      configurable: true,
      get(this: Element) {
        return this.classList.contains('table-scroll') ? height : 0;
      },
    });
  });
  afterAll(() => {
    if (saved) Object.defineProperty(Element.prototype, 'clientHeight', saved);
  });
}
