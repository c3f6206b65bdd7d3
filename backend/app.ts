// buildApp: one Inspector behind guard, auth, REST, the event stream, the docs and the UI. Ready, not listening.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { httpBounds, type HttpTimeouts, type Limits } from '../shared';
import type { KernelViewOptions } from './kernel/kernel-view';
import { Inspector } from './inspector/inspector';
import { VERSION } from './version';
import { createHttpApp, listeningPort } from './http/http-app';
import { ConnectionCap, installConnectionCap } from './http/connection-cap';
import { installInspector } from './http/inspector-plugin';
import { installGuard } from './http/guard';
import { installAuth } from './http/auth';
import { registerDocs } from './http/docs';
import { restRoutes } from './http/rest-routes';
import { connectionRoutes } from './http/connection-routes';
import { expectRoutes } from './http/expect-routes';
import { sessionRoutes } from './http/session-routes';
import { hostRoutes } from './http/host-routes';
import { labRoutes } from './http/lab-routes';
import { scenarioRoutes } from './http/scenario-routes';
import { eventsRoute } from './http/events-route';
import { registerUi } from './http/ui-route';

export interface BuildAppOptions {
  token: string;
  /** The --host bound; accepted in Host and Origin headers besides the loopback names. */
  host?: string;
  /** More names accepted in Host and Origin headers (e.g. a LAN name when bound to 0.0.0.0). */
  allowedHosts?: readonly string[];
  limits?: Partial<Limits>;
  /** Built UI directory; default dist/ at the repo root; null serves only the "not built" page. */
  uiDir?: string | null;
  /** true: log at logLevel (default warn) to stderr; false: silent; unset: errors only (500s stay visible in tests). */
  logger?: boolean;
  logLevel?: string;
  /** The kernel view: where /proc is (a missing directory makes it unavailable), poll timing. */
  kernel?: KernelViewOptions;
  /** CIDR ranges connections may or may not target (--allow-target, --deny-target); the inspector checks them. */
  targets?: { allow?: string[]; deny?: string[] };
  /** Request deadlines and timeouts (default DEFAULT_HTTP_BOUNDS); tests shorten them. */
  timeouts?: Partial<HttpTimeouts>;
}

export const DEFAULT_UI_DIR = fileURLToPath(new URL('../dist', import.meta.url));

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  // Called only once requests flow, long after `app` below exists.
  const port = (): number | undefined => listeningPort(app);
  const inspector = new Inspector({
    limits: opts.limits ?? {},
    ...(opts.kernel ? { kernel: opts.kernel } : {}),
    ...(opts.targets ? { targets: opts.targets } : {}),
    forbiddenPorts: () => {
      const own = port();
      return own === undefined ? [] : [own];
    },
  });
  const connections = new ConnectionCap(inspector.limits.maxHttpConnections);
  const http = httpBounds(inspector.limits, opts.timeouts);
  const app = createHttpApp({
    logger: opts.logger !== false,
    logLevel: opts.logLevel ?? (opts.logger ? 'warn' : 'error'),
    bounds: http,
    connections,
  });
  try {
    installInspector(app, inspector);
    // First: its onRequest hook marks upgrade requests, so a refused upgrade's socket is destroyed after the answer.
    await app.register(websocket, { options: { maxPayload: http.streamMessageBytes } });
    installConnectionCap(app, connections);
    installGuard(app, { extraHosts: [...(opts.host ? [opts.host] : []), ...(opts.allowedHosts ?? [])], port });
    installAuth(app, { token: opts.token, port });
    await registerDocs(app, VERSION);
    await app.register(restRoutes, { version: VERSION, port, http });
    await app.register(connectionRoutes);
    await app.register(expectRoutes);
    await app.register(sessionRoutes);
    await app.register(hostRoutes);
    await app.register(labRoutes);
    await app.register(scenarioRoutes);
    await app.register(eventsRoute);
    await registerUi(app, opts.uiDir === undefined ? (existsSync(DEFAULT_UI_DIR) ? DEFAULT_UI_DIR : null) : opts.uiDir);
    await app.ready();
    return app;
  } catch (err) {
    await app.close().catch(() => {});
    throw err;
  }
}
