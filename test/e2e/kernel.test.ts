// Kernel truth in Chromium against the real app: the queue demonstration (a holding listener, 10 MiB sent, Recv-Q and
// Send-Q filling, sockscope queueing, then draining on Resume reading), TIME_WAIT after a close from the UI, and the
// Host sockets tab. REST sets up the sockets and serves as the oracle; the steps under test are clicks.
import { describe, expect, it } from 'vitest';
import type { ConnectionRow, ListenerRow } from '../../shared';
import { token, type Column } from './dashboard-page';
import { acceptedOf, useE2e } from './fixture';

const MIB = 1 << 20;
const SENDS = 10;
// Loopback starts a socket's receive buffer near 128 KiB and a reader that never reads does not grow it; Send-Q on the
// sender grows to megabytes. Thresholds well inside both, so the test does not depend on the machine's tcp_rmem.
const RECVQ_ABOVE = 64 * 1024;
const SENDQ_ABOVE = 100_000;

describe('kernel view in the dashboard', () => {
  const e2e = useE2e();

  it('fills Recv-Q and Send-Q against a holding reader, drains them on Resume reading, then shows TIME_WAIT and the host table', async () => {
    const { app, page, errors, ui, goLive } = await e2e.start({ viewport: { width: 1400, height: 900 } });
    const { api } = app;

    /** Waits until the number in a table cell (Recv-Q/Send-Q are plain integers) is above `want.above`, or exactly 0. */
    const waitNumber = async (id: string, col: Column, want: { above: number } | 0) => {
      await page.waitForFunction(
        ({ id, col, above }) => {
          const text = document
            .querySelector(`table[aria-label="Connections"] tr[data-id="${id}"] td[data-col="${col}"]`)
            ?.textContent?.trim();
          const n = text ? Number(text) : NaN;
          return above === null ? n === 0 : n > above;
        },
        { id, col, above: want === 0 ? null : want.above },
      );
    };

    await goLive();

    // Setup by REST: a listener that accepts but never reads, a client to it, and the accepted side.
    const listener = (await api<ListenerRow>('POST', '/api/listeners', { port: 0, accept: 'hold' })).json;
    const client = (
      await api<ConnectionRow>('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: listener.local.port })
    ).json;
    expect(client.state).toBe('open');
    await ui.row(client.id, 'open').waitFor();
    const accepted = await acceptedOf(app, listener.id);
    await ui.expand(listener.id);
    expect(accepted.paused).toBe(true);
    await ui.row(accepted.id, 'open').waitFor();
    await ui.waitCell(accepted.id, 'state', /paused/);

    // 10 MiB from the client, 1 MiB per call (the send body limit).
    const chunk = Buffer.alloc(MIB, 0x61).toString('base64');
    for (let i = 0; i < SENDS; i++) {
      const sent = await api('POST', `/api/connections/${client.id}/send`, { data: chunk, encoding: 'base64' });
      expect(sent.status).toBe(200);
    }

    // The table: the receiver's Recv-Q and the sender's Send-Q fill up, ESTABLISHED both.
    await waitNumber(accepted.id, 'recvq', { above: RECVQ_ABOVE });
    await waitNumber(client.id, 'sendq', { above: SENDQ_ABOVE });
    await ui.waitCell(client.id, 'state', /ESTABLISHED/);
    // Backpressure: what the kernel could not take waits in sockscope, visible in the client's pane.
    const detail = await ui.open(client.id);
    const chart = detail.getByRole('figure', { name: 'Queues over time' });
    await chart
      .locator('[data-series="queued"] dd')
      .filter({ hasText: /[1-9][\d.]* (KiB|MiB)/ })
      .waitFor();
    await chart
      .locator('[data-series="sendQ"] dd')
      .filter({ hasText: /(KiB|MiB)/ })
      .waitFor();
    const backlogged = (await api<ConnectionRow>('GET', `/api/connections/${client.id}`)).json;
    expect(backlogged.queuedBytes).toBeGreaterThan(0);
    expect(backlogged.bytesOut).toBe(SENDS * MIB); // handed to Node in full: nothing refused, nothing lost

    // Resume reading on the accepted side: both queues drain to 0 and every byte arrives.
    await ui.open(accepted.id);
    await detail.getByRole('button', { name: 'Resume reading', exact: true }).click();
    await waitNumber(accepted.id, 'recvq', 0);
    await waitNumber(client.id, 'sendq', 0);
    await ui.waitCell(accepted.id, 'in', '10.0 MiB');
    await chart.locator('[data-series="bytesIn"] dd').filter({ hasText: '10.0 MiB' }).waitFor();
    await chart.locator('[data-series="recvQ"] dd').filter({ hasText: /^0 B$/ }).waitFor();
    const drained = (await api<ConnectionRow>('GET', `/api/connections/${accepted.id}`)).json;
    expect(drained.bytesIn).toBe(SENDS * MIB);
    expect((await api<ConnectionRow>('GET', `/api/connections/${client.id}`)).json.queuedBytes).toBe(0);

    // Close the client from its pane: the accepted side sees the FIN (CLOSE_WAIT); closing it too leaves the client,
    // which closed first, in TIME_WAIT, still tracked after close.
    await ui.open(client.id);
    await detail.getByRole('button', { name: 'Close', exact: true }).click();
    await ui.row(client.id, 'closed').waitFor();
    await ui.waitCell(accepted.id, 'state', /CLOSE_WAIT/);
    await ui.open(accepted.id);
    await detail.getByRole('button', { name: 'Close', exact: true }).click();
    await ui.row(accepted.id, 'closed').waitFor();
    await ui.waitCell(client.id, 'state', /closed · TIME_WAIT/);

    // The host table: the listener's port, LISTEN, marked as sockscope's; its id leads back to the row.
    await page.getByRole('tab', { name: 'Host sockets', exact: true }).click();
    const host = page.getByRole('table', { name: 'Host sockets' });
    await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(listener.local.port));
    const listenRow = host.locator(`tr[data-state="LISTEN"][data-owner="${listener.id}"]`);
    await listenRow
      .locator('[data-col="local"]')
      .filter({ hasText: token(`127.0.0.1:${listener.local.port}`) })
      .waitFor();
    await host.locator(`tr[data-state="TIME_WAIT"][data-owner="${client.id}"]`).waitFor();
    await listenRow.getByRole('button', { name: listener.id, exact: true }).click();
    await page.getByRole('tab', { name: 'Connections', exact: true, selected: true }).waitFor();
    await ui.selected(listener.id).waitFor();
    await ui.waitDetail(listener.id);
    await ui.detail.getByRole('figure', { name: 'Queues over time' }).waitFor();

    expect(errors).toEqual([]);
  });
});
