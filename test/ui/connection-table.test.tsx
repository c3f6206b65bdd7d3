// The dashboard in jsdom: a virtualized real <table>, the tree, sorting, filtering, keys, flashes, link status.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accepted, client, dataIn, ev, listener, refused, T0 } from '../frontend/table-factories';
import { mountApp } from './app-harness';

// The colleagues' panes are tested on their own; here they are placeholders with the agreed props.
vi.mock('../../frontend/components/detail/DetailPane', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewListenerForm', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewConnectionForm', () => import('./app-placeholders'));

// jsdom has no layout: give the table's scroll box a viewport so the virtualizer has a window to fill.
const VIEWPORT = 600;
const sizes = {
  clientHeight: Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight'),
  clientWidth: Object.getOwnPropertyDescriptor(Element.prototype, 'clientWidth'),
  scrollHeight: Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight'),
};
/** The table's height as a browser lays it out: header, spacer rows, 24 px per row. */
const contentHeight = (scroller: Element) =>
  28 +
  [...scroller.querySelectorAll<HTMLElement>('tbody tr')].reduce(
    (h, tr) => h + (tr.classList.contains('spacer') ? parseFloat(tr.style.height) : 24),
    0,
  );
const scrollTo = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTo');
beforeAll(() => {
  // jsdom does not scroll: do what a browser does for the virtualizer's scrollTo({top}).
  Element.prototype.scrollTo = function (this: Element, to?: ScrollToOptions | number) {
    if (typeof to !== 'object' || to.top === undefined) return;
    this.scrollTop = to.top;
    this.dispatchEvent(new Event('scroll'));
  } as Element['scrollTo'];
  Object.defineProperty(Element.prototype, 'scrollHeight', {
    configurable: true,
    get(this: Element) {
      return this.classList.contains('table-scroll') ? contentHeight(this) : 0;
    },
  });
  Object.defineProperty(Element.prototype, 'clientHeight', {
    configurable: true,
    get(this: Element) {
      return this.classList.contains('table-scroll') ? VIEWPORT : 0;
    },
  });
  Object.defineProperty(Element.prototype, 'clientWidth', {
    configurable: true,
    get(this: Element) {
      return this.classList.contains('table-scroll') ? 1200 : 0;
    },
  });
});
afterAll(() => {
  for (const [k, d] of Object.entries(sizes)) if (d) Object.defineProperty(Element.prototype, k, d);
  if (scrollTo) Object.defineProperty(Element.prototype, 'scrollTo', scrollTo);
  else delete (Element.prototype as Partial<Element>).scrollTo;
});
afterEach(cleanup);

const table = () => screen.getByRole('table', { name: 'Connections' });
const row = (id: string) => table().querySelector<HTMLTableRowElement>(`tr[data-id="${id}"]`);
const cell = (id: string, col: string) => row(id)?.querySelector<HTMLElement>(`td[data-col="${col}"]`);
const shownIds = () => [...table().querySelectorAll<HTMLElement>('tbody tr[data-id]')].map((r) => r.dataset.id);

describe('connection table', () => {
  it('renders 10,000 rows as a window of <tr> in a real table', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => client(i + 1));
    const { send } = mountApp(rows);
    const trs = table().querySelectorAll('tbody tr[data-id]');
    expect(trs.length).toBeGreaterThan(VIEWPORT / 24 - 1);
    expect(trs.length).toBeLessThan(60);
    expect(table().getAttribute('aria-rowcount')).toBe('10001');
    expect(within(table()).getAllByRole('columnheader')).toHaveLength(12);
    expect(screen.getByText('10,000 rows')).toBeTruthy();

    // scrolled to the middle, the window moves there
    const scroller = table().closest('.table-scroll')!;
    act(() => {
      scroller.scrollTop = 24 * 5000;
      fireEvent.scroll(scroller);
    });
    const ids = shownIds();
    expect(ids).toContain('c-5001');
    expect(ids).not.toContain('c-1');
    expect(ids.length).toBeLessThan(60);

    // live changes reach the rows in the window
    send(dataIn(2, 'c-5001', 1234));
    expect(cell('c-5001', 'in')?.textContent).toBe('1234 B');
  });

  it('shows netstat columns, the tree, the link status and the counts', () => {
    const { status } = mountApp([
      listener(1),
      accepted(1, 1, { tcpState: 'ESTABLISHED', recvQ: 0, sendQ: 12 }),
      client(2, { state: 'failed', fault: refused(), local: null, remote: null, family: null }),
      client(3, { state: 'connecting', local: null, remote: null, target: { address: '::1', port: 9 } }),
      client(4, { state: 'closed', closedAt: T0 + 5_000, tcpState: 'TIME_WAIT' }),
    ]);
    expect(screen.getByLabelText('Link status').textContent).toBe('live');
    expect(row('l-1')?.dataset.state).toBe('listening');
    expect(row('c-1')?.getAttribute('aria-selected')).toBe('false');
    expect(shownIds()).toEqual(['l-1', 'c-1', 'c-2', 'c-3', 'c-4']);
    expect(cell('l-1', 'proto')?.textContent).toBe('tcp');
    expect(cell('l-1', 'local')?.textContent).toBe('127.0.0.1:4001');
    expect(cell('l-1', 'role')?.textContent).toBe('listener');
    expect(cell('c-1', 'role')?.textContent).toBe('accepted');
    expect(cell('c-1', 'state')?.textContent).toBe('open · ESTABLISHED');
    expect(cell('c-1', 'recvq')?.textContent).toBe('0');
    expect(cell('c-1', 'sendq')?.textContent).toBe('12');
    expect(cell('c-3', 'recvq')?.textContent).toBe(''); // no kernel view yet: blank, not 0
    expect(cell('c-3', 'remote')?.textContent).toBe('→ [::1]:9');
    expect(cell('c-4', 'state')?.textContent).toBe('closed · TIME_WAIT');
    expect(cell('c-4', 'age')?.textContent).toBe('5ms');
    const badge = within(cell('c-2', 'errno')!).getByText('ECONNREFUSED 111');
    expect(badge.getAttribute('title')).toContain('Connection refused');
    expect(row('c-2')?.className).toContain('terminal');

    const counts = screen.getByText('live connections').parentElement!;
    expect(counts.textContent).toBe('live connections2');
    status('reconnecting');
    expect(screen.getByLabelText('Link status').textContent).toBe('reconnecting');
  });

  it('says why the server refused the event stream, until it is live again', () => {
    const { status } = mountApp([listener(1)]);
    status('refused', 'too many stream clients (max 32)');
    const link = screen.getByLabelText('Link status');
    expect(link.textContent).toBe('refused: too many stream clients (max 32)');
    expect(link.className).toContain('link-refused');
    expect(link.getAttribute('title')).toContain('refused');
    status('live');
    expect(screen.getByLabelText('Link status').textContent).toBe('live');
  });

  it('collapses and expands a listener', () => {
    mountApp([listener(1), accepted(1, 1), accepted(2, 1), client(3)]);
    fireEvent.click(screen.getByRole('button', { name: 'Collapse l-1' }));
    expect(shownIds()).toEqual(['l-1', 'c-3']);
    fireEvent.click(screen.getByRole('button', { name: 'Expand l-1' }));
    expect(shownIds()).toEqual(['l-1', 'c-1', 'c-2', 'c-3']);
  });

  it('sorts on a header click with aria-sort, and back to creation order', () => {
    mountApp([client(1, { bytesIn: 5 }), client(2, { bytesIn: 50 }), client(3, { bytesIn: 1 })]);
    const button = screen.getByRole('button', { name: 'Bytes in' });
    const th = button.closest('th')!;
    expect(th.hasAttribute('aria-sort')).toBe(false);
    fireEvent.click(button);
    expect(th.getAttribute('aria-sort')).toBe('ascending');
    expect(shownIds()).toEqual(['c-3', 'c-1', 'c-2']);
    fireEvent.click(button);
    expect(th.getAttribute('aria-sort')).toBe('descending');
    expect(shownIds()).toEqual(['c-2', 'c-1', 'c-3']);
    fireEvent.click(button);
    expect(th.hasAttribute('aria-sort')).toBe(false);
    expect(shownIds()).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it('filters by text and by state', () => {
    mountApp([client(1), client(2, { state: 'failed', fault: refused() }), client(3, { state: 'closed' })]);
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: 'econnrefused' } });
    expect(shownIds()).toEqual(['c-2']);
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('State filter'), { target: { value: 'closed' } });
    expect(shownIds()).toEqual(['c-3']);
    expect(screen.getByText('1 of 3 rows matches')).toBeTruthy();
  });

  it('moves the selection with the keyboard, opens the detail with Enter and comes back with Escape', () => {
    const { store } = mountApp(Array.from({ length: 500 }, (_, i) => client(i + 1)));
    const first = row('c-1')!;
    expect(first.tabIndex).toBe(0); // the one row Tab lands on
    act(() => first.focus());
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(store.getState().selected).toBe('c-2');
    expect(row('c-2')?.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(row('c-2'));

    fireEvent.keyDown(row('c-2')!, { key: 'End' });
    expect(store.getState().selected).toBe('c-500');
    expect(document.activeElement).toBe(row('c-500')); // rendered once scrolled there, then focused
    fireEvent.keyDown(row('c-500')!, { key: 'Home' });
    expect(document.activeElement).toBe(row('c-1'));

    fireEvent.keyDown(row('c-1')!, { key: 'Enter' });
    const detail = screen.getByRole('region', { name: 'Detail' });
    expect(document.activeElement).toBe(detail);
    expect(detail.textContent).toBe('detail of c-1');
    fireEvent.keyDown(detail, { key: 'Escape' });
    expect(document.activeElement).toBe(row('c-1'));
  });

  it('collapses with ArrowLeft and goes from a child to its listener', () => {
    const { store } = mountApp([listener(1), accepted(1, 1), client(2)]);
    act(() => row('c-1')!.focus());
    fireEvent.keyDown(row('c-1')!, { key: 'ArrowLeft' });
    expect(store.getState().selected).toBe('l-1');
    fireEvent.keyDown(row('l-1')!, { key: 'ArrowLeft' });
    expect(shownIds()).toEqual(['l-1', 'c-2']);
    fireEvent.keyDown(row('l-1')!, { key: 'ArrowRight' });
    expect(shownIds()).toEqual(['l-1', 'c-1', 'c-2']);
  });

  it('flashes a changed value, not a freshly rendered one, and re-renders only changed rows', () => {
    const { send } = mountApp([client(1), client(2)]);
    const bytes = () => cell('c-1', 'in')!.querySelector('span')!;
    expect(bytes().className).toBe('');
    const untouched = cell('c-2', 'in')!.firstElementChild;
    send(dataIn(2, 'c-1', 10));
    expect(bytes().className).toBe('flash');
    expect(cell('c-2', 'in')!.firstElementChild).toBe(untouched);
    const flashed = bytes();
    send(dataIn(3, 'c-1', 10));
    // A change while the flash runs lets it run on: the same span, no new node per change.
    expect(bytes()).toBe(flashed);
    expect(bytes().className).toBe('flash');
    fireEvent.animationEnd(bytes());
    expect(bytes().className).toBe('');
    send(dataIn(4, 'c-1', 10));
    expect(bytes().className).toBe('flash'); // the class comes back: the animation starts again
    expect(cell('c-1', 'in')!.textContent).toBe('30 B');
    send(
      ev({
        type: 'socket/state',
        seq: 5,
        at: T0,
        id: 'c-1',
        from: 'open',
        to: 'half-closed-remote',
        cause: 'peer-fin',
      }),
    );
    expect(cell('c-1', 'state')!.querySelector('.flash')?.textContent).toBe('half-closed-remote');
    expect(row('c-1')?.dataset.state).toBe('half-closed-remote');
  });

  it('flashes a queue that drains back to its first value', () => {
    const { send } = mountApp([client(1, { tcpState: 'ESTABLISHED', recvQ: 0, sendQ: 0 })]);
    const kernel = (seq: number, recvQ: number) =>
      ev({ type: 'socket/kernel', seq, at: T0, id: 'c-1', tcpState: 'ESTABLISHED', recvQ, sendQ: 0 });
    send(kernel(2, 4096));
    expect(cell('c-1', 'recvq')!.firstElementChild!.className).toBe('flash');
    send(kernel(3, 0));
    expect(cell('c-1', 'recvq')!.textContent).toBe('0');
    expect(cell('c-1', 'recvq')!.firstElementChild!.className).toBe('flash');
  });

  it('Clear closed removes closed and failed rows, and their selection', () => {
    const { store } = mountApp([
      client(1),
      client(2, { state: 'closed' }),
      client(3, { state: 'failed', fault: refused() }),
    ]);
    fireEvent.click(row('c-2')!);
    expect(store.getState().selected).toBe('c-2');
    fireEvent.click(screen.getByRole('button', { name: 'Clear closed' }));
    expect(shownIds()).toEqual(['c-1']);
    expect(store.getState().selected).toBeNull();
  });

  it('selects a row created from a form and closes the stream on unmount', () => {
    const { close } = mountApp([client(1)]);
    fireEvent.click(screen.getByRole('button', { name: 'New listener' }));
    expect(screen.getByRole('form', { name: 'New listener' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'New connection' })).toBeNull(); // hidden, not just covered
    cleanup();
    expect(close).toHaveBeenCalled();
  });
});
