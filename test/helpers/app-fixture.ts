// Per-test app for the REST suites: a test starts its app when it needs one; after it, every plain socket the test
// dialled is destroyed, then the app closed.
import type net from 'node:net';
import { afterEach } from 'vitest';
import type { BuildAppOptions } from '../../backend/app';
import { startApp, type StartedApp } from './app';
import { destroySocket } from './loopback';

export interface AppFixture {
  /** This test's app; throws when the test has started none. */
  readonly app: StartedApp;
  /** Whether this test has started its app. */
  readonly started: boolean;
  /** Plain sockets the test dialled; destroyed after it, before the app closes. */
  readonly sockets: net.Socket[];
  /** Starts this test's app, without the UI unless `opts` gives one. */
  start(opts?: Partial<BuildAppOptions>): Promise<StartedApp>;
}

export function useApp(): AppFixture {
  let current: StartedApp | undefined;
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    for (const c of sockets.splice(0)) await destroySocket(c);
    await current?.close();
    current = undefined;
  });
  return {
    get app() {
      if (!current) throw new Error('useApp: the test has not started its app');
      return current;
    },
    get started() {
      return current !== undefined;
    },
    sockets,
    async start(opts = {}) {
      current = await startApp({ uiDir: null, ...opts });
      return current;
    },
  };
}
