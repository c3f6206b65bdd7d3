// The lab in Chromium: open the Lab tab, pick "The peer resets the connection", read why, click Run, watch every
// step end ok, then follow "Show its sockets" to the rows the run made (ECONNRESET and EPIPE in the errno column).
// REST is used only as an oracle, never to perform a step under test.
import { describe, expect, it } from 'vitest';
import type { Sockets } from '../../shared';
import { useE2e } from './fixture';

describe('the lab', () => {
  const e2e = useE2e();

  it('runs peer-reset with one click: every step ok, the explanation shown, its sockets in the table', async () => {
    const { app, page, errors, ui, goLive } = await e2e.start({ viewport: { width: 1400, height: 1000 } });
    await goLive();

    // 1. The Lab tab lists the nine labs; pick one.
    await page.getByRole('tab', { name: 'Lab' }).click();
    const labs = page.getByRole('navigation', { name: 'Labs' });
    await expect(labs.getByRole('button').count()).resolves.toBe(9);
    await labs.getByRole('button', { name: /The peer resets the connection/ }).click();
    await page.getByRole('heading', { level: 2, name: 'The peer resets the connection' }).waitFor();

    // 2. The explanation and both fixes are there before anything runs; the steps are listed, pending.
    const panel = page.locator('section.lab-panel');
    await expect(panel.locator('.lab-why').textContent()).resolves.toContain('CLOSE_WAIT');
    await expect(panel.locator('figure', { hasText: 'Python' }).textContent()).resolves.toContain(
      'ConnectionResetError',
    );
    await expect(panel.locator('figure', { hasText: 'Node' }).textContent()).resolves.toContain("'EPIPE'");
    const steps = panel.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    await steps.first().filter({ hasText: 'listen srv' }).waitFor();
    const total = await steps.count();
    expect(total).toBeGreaterThan(10);
    await expect(panel.locator('li[data-status="pending"]').count()).resolves.toBe(total);

    // 3. Run: the summary ends "passed" and every step is ok.
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await panel
      .locator('.lab-summary')
      .filter({ hasText: `passed: ${total} of ${total} steps ok` })
      .waitFor();
    await expect(panel.locator('li[data-status="ok"]').count()).resolves.toBe(total);
    await expect(panel.locator('li', { hasText: 'fails EPIPE' }).getAttribute('data-status')).resolves.toBe('ok');
    await labs
      .getByRole('button', { name: /The peer resets the connection/ })
      .getByText('passed')
      .waitFor();

    // 4. The sockets it made are ordinary rows: follow the link to them.
    const oracle = (await app.api<Sockets>('GET', '/api/sockets')).json;
    const a = oracle.connections.find((c) => c.fault?.code === 'ECONNRESET' && c.kind === 'client');
    const b = oracle.connections.find((c) => c.fault?.code === 'EPIPE');
    expect(a && b).toBeTruthy();
    await panel.getByRole('button', { name: 'Show its sockets' }).click();
    await ui.table.waitFor();
    await ui.waitCell(a!.id, 'errno', /ECONNRESET/);
    await ui.waitCell(b!.id, 'errno', /EPIPE/);
    await ui.waitCell(b!.id, 'state', /failed/);

    expect(errors).toEqual([]);
  });
});
