// One real app serving the built UI and one Chromium per e2e test, both closed after it. They start inside the test,
// not in beforeAll: a missing Chromium or build must fail the test, never skip it.
import { afterEach } from 'vitest';
import type { Page } from 'playwright-core';
import type { BuildAppOptions } from '../../backend/app';
import type { ConnectionRow, Sockets } from '../../shared';
import { startApp, type StartedApp } from '../helpers/app';
import { launchBrowser, type Browser } from '../helpers/browser';
import { Dashboard, assertBuilt, distDir } from './dashboard-page';

export interface E2e {
  app: StartedApp;
  browser: Browser;
  page: Page;
  /** The browser's console.error messages and page errors, in order. */
  errors: string[];
  ui: Dashboard;
  /** Opens the dashboard with the token URL and waits until its link is live. */
  goLive(): Promise<void>;
}

export interface E2eFixture {
  /** Starts the app (with the built UI and `app` options) and the browser, sized to `viewport` when given. */
  start(opts?: { app?: Partial<BuildAppOptions>; viewport?: { width: number; height: number } }): Promise<E2e>;
  /** Stops the app now (afterEach then has nothing left to close). */
  stopApp(): Promise<void>;
}

export function useE2e(): E2eFixture {
  let started: StartedApp | undefined;
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    await started?.close();
    browser = undefined;
    started = undefined;
  });
  return {
    async start({ app: opts = {}, viewport } = {}) {
      assertBuilt();
      const app = (started = await startApp({ uiDir: distDir, ...opts }));
      const b = (browser = await launchBrowser());
      const { page, errors } = b;
      if (viewport) await page.setViewportSize(viewport);
      const ui = new Dashboard(page);
      const goLive = async () => {
        await page.goto(`${app.baseUrl}/?token=${app.token}`);
        await ui.waitLive();
      };
      return { app, browser: b, page, errors, ui, goLive };
    },
    async stopApp() {
      const app = started;
      started = undefined;
      await app?.close();
    },
  };
}

/** Polls `fn` until it yields a value (neither null nor undefined). */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The server's row for the connection `listenerId` accepted, once it has accepted one. */
export function acceptedOf(app: StartedApp, listenerId: string): Promise<ConnectionRow> {
  return until(`the connection ${listenerId} accepted`, async () => {
    const s = (await app.api<Sockets>('GET', '/api/sockets')).json;
    return s.connections.find((c) => c.parent === listenerId);
  });
}
