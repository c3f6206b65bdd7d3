// Debian's Chromium driven by playwright-core; never skips: a missing browser is a test failure.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** console.error messages and uncaught page errors, in order. */
  errors: string[];
  close(): Promise<void>;
}

// Without the background-networking flags Chromium tries hosts this machine cannot reach.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `args` are added to the usual flags; the benchmarks also fix the viewport, since what fits on screen is their load. */
export async function launchBrowser(
  opts: { args?: string[]; viewport?: { width: number; height: number } } = {},
): Promise<Browser> {
  const executablePath = process.env.SOCKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Install it with \`sudo apt-get install -y chromium\` ` +
        'or point SOCKSCOPE_CHROMIUM at a Chromium binary.',
    );
  }
  // launch() refuses --user-data-dir in args; a persistent context takes the directory instead.
  const userDataDir = await mkdtemp(join(tmpdir(), 'sockscope-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...ARGS, ...(opts.args ?? [])],
      ...(opts.viewport ? { viewport: opts.viewport } : {}),
    });
  } catch (e) {
    await rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000); // fail well inside the e2e project's 60 s test timeout
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
