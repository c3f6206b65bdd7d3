// 1,000 connections to one listener (2,001 rows): every row reachable by scrolling, only a window of them in the
// DOM, and the page still answers a filter. Correctness under load only; speed belongs in benchmarks.
import { describe, expect, it } from 'vitest';
import type { ConnectionRow, ListenerRow, Sockets } from '../../shared';
import type { Dashboard } from './dashboard-page';
import { useE2e } from './fixture';

const CLIENTS = 1000;
const BATCH = 50;
// Correctness under load, not speed: on a busy 2-core machine the live stream of ~10,000 events takes a while.
const SLOW = 45_000;

/** Polls a condition (the server's view, not the page's) until it yields a value. */
async function until<T>(check: () => Promise<T | null>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Scrolls the table's scroll container (or the page) from top to bottom in the page, collecting every row id
 *  rendered on the way and the most rows the DOM held at once. */
function scrollThrough(ui: Dashboard): Promise<{ seen: string[]; maxInDom: number }> {
  return ui.table.evaluate(async (table) => {
    const scrollerOf = (el: Element | null): Element =>
      !el || el === document.body
        ? (document.scrollingElement ?? document.documentElement)
        : el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY)
          ? el
          : scrollerOf(el.parentElement);
    const scroller = scrollerOf(table.parentElement);
    // Two frames: the virtualizer hears the scroll and React commits the new window.
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const seen = new Set<string>();
    let maxInDom = 0;
    scroller.scrollTop = 0;
    await frames();
    for (;;) {
      const rows = table.querySelectorAll('tr[data-id]');
      rows.forEach((tr) => seen.add(tr.getAttribute('data-id') ?? ''));
      maxInDom = Math.max(maxInDom, rows.length);
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
      scroller.scrollTop += Math.max(100, scroller.clientHeight - 60);
      await frames();
    }
    return { seen: [...seen], maxInDom };
  });
}

describe('scale', () => {
  const e2e = useE2e();

  it(`shows ${CLIENTS} connections to one listener (${2 * CLIENTS + 1} rows), virtualised and responsive`, async () => {
    const { app, page, errors, ui, goLive } = await e2e.start({
      app: { limits: { maxConnections: 5000 } },
      viewport: { width: 1400, height: 900 },
    });
    page.setDefaultTimeout(SLOW);
    await goLive();

    // Created while the page is live: thousands of events arrive through the stream, not a snapshot.
    const { api } = app;
    const listener = (await api<ListenerRow>('POST', '/api/listeners', { port: 0, backlog: 1024 })).json;
    for (let i = 0; i < CLIENTS; i += BATCH) {
      const replies = await Promise.all(
        Array.from({ length: BATCH }, () =>
          api<ConnectionRow>('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: listener.local.port }),
        ),
      );
      expect(replies.map((r) => r.json.state ?? r.json)).toEqual(replies.map(() => 'open'));
    }
    // A client is open once connect() returned; the listener accepts its side a moment later.
    const sockets = await until(
      async () => {
        const s = (await api<Sockets>('GET', '/api/sockets')).json;
        return s.connections.filter((c) => c.state === 'open').length === 2 * CLIENTS ? s : null;
      },
      'every client and its accepted side open',
      SLOW,
    );
    const all = new Set([listener.id, ...sockets.connections.map((c) => c.id)]);

    // Every row exists in the table, but only a window of them is in the DOM at any time.
    await ui.row(listener.id).waitFor();
    await ui.expand(listener.id);
    // aria-rowcount: every row, rendered or not, plus the header row.
    await page.locator(`table[aria-label="Connections"][aria-rowcount="${all.size + 1}"]`).waitFor();
    const { seen: seenIds, maxInDom } = await scrollThrough(ui);
    const seen = new Set(seenIds);
    expect(
      [...all].filter((id) => !seen.has(id)),
      'rows never rendered while scrolling',
    ).toEqual([]);
    expect(
      [...seen].filter((id) => !all.has(id)),
      'rows the server does not know',
    ).toEqual([]);
    expect(maxInDom, 'rows in the DOM at once').toBeLessThan(300);

    // Still responsive: a filter on one client's local port narrows the table to that pair (and its listener).
    const clients = sockets.connections.filter((c) => c.kind === 'client');
    const one = clients[Math.floor(clients.length / 2)]!;
    const port = String(one.local!.port);
    await ui.filter.fill(port);
    await page.waitForFunction(
      ({ id, max }) => {
        const rows = document.querySelectorAll('table[aria-label="Connections"] tr[data-id]');
        return rows.length <= max && [...rows].some((r) => r.getAttribute('data-id') === id);
      },
      { id: one.id, max: 3 },
    );
    const shown = await ui.rows();
    expect(shown.map((r) => r.id)).toContain(one.id);
    await ui.filter.fill('');
    await page.waitForFunction(
      () => document.querySelectorAll('table[aria-label="Connections"] tr[data-id]').length > 3,
    );
    expect(errors).toEqual([]);
  }, 150_000);
});
