// The built placeholder page, served by the real app, in Chromium: live link, rows, event tail, reconnecting.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionRow, ListenerRow } from '../../shared';
import { startApp, type StartedApp } from '../helpers/app';
import { launchBrowser, type Browser } from '../helpers/browser';

const distDir = fileURLToPath(new URL('../../dist', import.meta.url));

/** A port nothing listens on: bind port 0, note it, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('placeholder page', () => {
  let started: StartedApp | undefined;
  let browser: Browser | undefined;
  let appClosed = false;

  // Set up inside the test, not in beforeAll: a missing Chromium or build must fail the test, never skip it.
  async function setUp(): Promise<{ started: StartedApp; browser: Browser }> {
    if (!existsSync(`${distDir}/index.html`))
      throw new Error(`${distDir}/index.html is missing: run \`npm run build\` first`);
    started = await startApp({ uiDir: distDir });
    browser = await launchBrowser();
    return { started, browser };
  }

  afterAll(async () => {
    await browser?.close();
    if (!appClosed) await started?.close();
  });

  it('shows the live link, the rows and the events, then reconnecting once the app is gone', async () => {
    const env = await setUp();
    const { api, baseUrl, token } = env.started;
    const { page, errors } = env.browser;
    const status = page.locator('#link-status');
    const row = (id: string, state: string) => page.locator(`#sockets tr[data-id="${id}"][data-state="${state}"]`);
    const tailEntry = (type: string, id: string) => page.locator(`#events tr[data-type="${type}"]`, { hasText: id });

    await page.goto(`${baseUrl}/?token=${token}`);
    expect(new URL(page.url()).search).toBe(''); // the token went into a cookie and left the address bar
    await status.filter({ hasText: /^live$/ }).waitFor();

    const listen = await api<ListenerRow>('POST', '/api/listeners', { host: '127.0.0.1', port: 0 });
    expect(listen.status).toBe(201);
    const port = listen.json.local.port;
    const dial = await api<ConnectionRow>('POST', '/api/connections?wait=1', { host: '127.0.0.1', port });
    expect(dial.status).toBe(201);
    expect(dial.json.state).toBe('open');

    await row(listen.json.id, 'listening').waitFor();
    await row(dial.json.id, 'open').waitFor();
    const dialRow = row(dial.json.id, 'open');
    expect(await dialRow.locator('td').nth(1).textContent()).toBe('client');
    expect(await dialRow.locator('td').nth(3).textContent()).toBe(`127.0.0.1:${port}`);
    expect(await row(listen.json.id, 'listening').locator('td').nth(2).textContent()).toBe(`127.0.0.1:${port}`);

    await tailEntry('listener/opened', listen.json.id).waitFor();
    await tailEntry('socket/opened', dial.json.id).waitFor();
    await tailEntry('socket/state', dial.json.id).filter({ hasText: 'connecting → open' }).waitFor();
    const sockets = (await api<{ connections: ConnectionRow[] }>('GET', '/api/sockets')).json;
    const accepted = sockets.connections.find((c) => c.kind === 'accepted' && c.parent === listen.json.id);
    expect(accepted).toBeDefined();
    await row(accepted!.id, 'open').waitFor();

    // A refused dial shows its errno badge.
    const refused = await api<ConnectionRow>('POST', '/api/connections?wait=1', {
      host: '127.0.0.1',
      port: await closedPort(),
    });
    expect(refused.json.state).toBe('failed');
    await row(refused.json.id, 'failed').filter({ hasText: 'ECONNREFUSED 111' }).waitFor();

    const lastSeq = Number(await page.locator('#last-seq').textContent());
    expect(lastSeq).toBeGreaterThan(0);
    expect(await page.locator('#counts').textContent()).toMatch(/1 listening of 1 listeners · 2 live of 3 connections/);
    expect(errors).toEqual([]);

    await env.started.close();
    appClosed = true;
    await status.filter({ hasText: /^reconnecting$/ }).waitFor();
  });
});
