// Only pages sockscope served may drive it: Host (DNS rebinding), Origin and Sec-Fetch-Site checks, on REST and the WS upgrade.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../inspector/errors';
import { httpError } from './http-errors';
import { hostForUrl } from './hosts';

export interface GuardOptions {
  /** Names accepted besides 127.0.0.1, localhost and [::1]: the --host given and any --allow-host. */
  extraHosts: readonly string[];
  /** The listening port; undefined before listen (app.inject), when any port is accepted. */
  port: () => number | undefined;
}

export function installGuard(app: FastifyInstance, opts: GuardOptions): void {
  const names = new Set(
    ['127.0.0.1', 'localhost', '[::1]', ...opts.extraHosts.map(hostForUrl)].map((h) => h.toLowerCase()),
  );
  const hostAllowed = (name: string, port: string) => {
    const expected = opts.port();
    return names.has(name.toLowerCase()) && (expected === undefined || Number(port || '80') === expected);
  };
  app.addHook('onRequest', async (request) => {
    // Node keeps only the first of two Host headers; a proxy or a cache before us may have used the other one.
    if (countHeader(request.raw.rawHeaders, 'host') > 1) throw badRequest('the request has more than one Host header');
    const host = splitHost(request.headers.host ?? '');
    if (!host || !hostAllowed(host.name, host.port))
      throw httpError(
        'FORBIDDEN_HOST',
        `Host ${JSON.stringify(request.headers.host ?? '')} is not this sockscope (DNS rebinding?)`,
      );
    const origin = request.headers.origin;
    if (origin !== undefined && !originAllowed(origin, hostAllowed))
      throw httpError('FORBIDDEN_ORIGIN', `requests from origin ${JSON.stringify(origin)} are refused`);
    const site = request.headers['sec-fetch-site'];
    if ((site === 'cross-site' || site === 'same-site') && !isPageNavigation(request))
      throw httpError('FORBIDDEN_ORIGIN', `${site} requests are refused`);
  });
}

function countHeader(rawHeaders: readonly string[], name: string): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) n++;
  return n;
}

/** "name:port", "[v6]:port" or a bare name (port 80). */
function splitHost(header: string): { name: string; port: string } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::([0-9]{1,5}))?$/.exec(header.trim());
  return m ? { name: m[1]!, port: m[2] ?? '' } : null;
}

function originAllowed(origin: string, hostAllowed: (name: string, port: string) => boolean): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and garbage
  }
  return url.protocol === 'http:' && url.origin === origin.toLowerCase() && hostAllowed(url.hostname, url.port);
}

/**
 * A top-level GET navigation to the UI (a link to http://127.0.0.1:7070/ from another page) is harmless: the page
 * is public code and everything it shows comes from /api, which stays refused cross-site.
 */
function isPageNavigation(request: FastifyRequest): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.headers['sec-fetch-mode'] === 'navigate' &&
    !(request.routeOptions.url ?? request.url).startsWith('/api')
  );
}
