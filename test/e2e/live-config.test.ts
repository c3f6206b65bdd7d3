// Issue 12 §4 in Chromium: a framing rule set over REST (a script, not the page) shows in the open detail pane without a
// reload; the table/detail divider drags and is remembered across a reload; counts are singular when they are one; a
// failed connect's form status turns into its errno, in the error colour.
import { describe, expect, it } from 'vitest';
import type { ConnectionRow } from '../../shared';
import { refusedPort } from '../helpers/loopback';
import { acceptedOf, useE2e } from './fixture';

const SHOTS = '/tmp/shots';

describe('live settings, the split, plurals and connect status', () => {
  const e2e = useE2e();

  it('shows REST framing live, remembers a dragged split, says "1 row" and a failed connect’s errno', async () => {
    const { app, page, errors, ui, goLive } = await e2e.start({ viewport: { width: 1400, height: 900 } });
    await goLive();

    // One listener: one row, said so.
    const listener = await ui.listen(0);
    await ui.row(listener.id, 'listening').waitFor();
    await page.locator('.table-status').getByText('1 row', { exact: true }).waitFor();

    // A client to it, and its detail pane open.
    const client = await ui.connect(listener.port);
    await ui.row(client, 'open').waitFor();
    await acceptedOf(app, listener.id);
    await page.locator('.table-status').getByText('3 rows', { exact: true }).waitFor();
    const detail = await ui.open(client);
    const inForce = detail.getByRole('form', { name: 'Framing rule' }).getByLabel('Framing in force');
    await expect(inForce.textContent()).resolves.toBe('none');
    await detail.getByRole('tab', { name: 'Messages', exact: true }).click();
    await detail.getByText(/^Framing: none/).waitFor();

    // A script sets the framing over REST: the open pane follows, no reload.
    const put = await app.api<ConnectionRow>('PUT', `/api/connections/${client}/framing`, {
      framing: { kind: 'fixed', size: 16 },
    });
    expect(put.status).toBe(200);
    await inForce.filter({ hasText: 'fixed 16-byte messages' }).waitFor();
    await detail.getByText('Framing: fixed 16-byte messages', { exact: true }).waitFor();
    await detail.locator('[data-settings="options"]').filter({ hasText: 'TCP_NODELAY off' }).waitFor();
    await app.api('POST', `/api/connections/${client}/options`, { noDelay: true });
    await detail.locator('[data-settings="options"]').filter({ hasText: 'TCP_NODELAY on' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/live-framing.png` });
    await detail.getByRole('form', { name: 'Framing rule' }).screenshot({ path: `${SHOTS}/live-framing-picker.png` });

    // The split: 60% to start; dragging the divider up to 30% of the workspace gives the detail the rest.
    const divider = page.getByRole('separator', { name: 'Resize the table and the detail pane' });
    await expect(divider.getAttribute('aria-valuenow')).resolves.toBe('60');
    const box = (await page.locator('main.workspace').boundingBox())!;
    const grip = (await divider.boundingBox())!;
    const detailBefore = (await ui.detail.boundingBox())!.height;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2, box.y + box.height * 0.45, { steps: 4 });
    await page.mouse.move(grip.x + grip.width / 2, box.y + box.height * 0.3, { steps: 4 });
    await page.mouse.up();
    await expect(divider.getAttribute('aria-valuenow')).resolves.toBe('30');
    const detailAfter = (await ui.detail.boundingBox())!.height;
    expect(detailAfter).toBeGreaterThan(detailBefore + box.height * 0.25);
    // And by keyboard: one step down.
    await divider.focus();
    await page.keyboard.press('ArrowDown');
    await expect(divider.getAttribute('aria-valuenow')).resolves.toBe('35');
    await page.screenshot({ path: `${SHOTS}/split-dragged.png` });

    await page.reload();
    await ui.waitLive();
    await expect(divider.getAttribute('aria-valuenow')).resolves.toBe('35');
    // The share holds in the new layout (the toolbar's form is closed after a reload, so the workspace is taller).
    const workspace = (await page.locator('main.workspace').boundingBox())!;
    const table = (await page.locator('.table-pane').boundingBox())!;
    expect(Math.abs(table.height - workspace.height * 0.35)).toBeLessThan(8);
    await page.screenshot({ path: `${SHOTS}/split-after-reload.png` });

    // A connect that fails: the form's status becomes the errno, in the error colour.
    const port = await refusedPort();
    const failed = await ui.connect(port);
    const form = await ui.form('New connection');
    const status = form.locator('output [data-tone="bad"]');
    await status
      .filter({ hasText: `ECONNREFUSED 111 (Connection refused) connecting to 127.0.0.1:${port} (${failed})` })
      .waitFor();
    const colours = await status.evaluate((el) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--bad)';
      el.append(probe);
      const bad = getComputedStyle(probe).color;
      probe.remove();
      return { text: getComputedStyle(el).color, bad };
    });
    expect(colours.text).toBe(colours.bad);
    await page.screenshot({ path: `${SHOTS}/connect-failed.png` });

    expect(errors).toEqual([]);
  });
});
