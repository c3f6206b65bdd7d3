// The Fastify instance with sockscope's HTTP policy: JSON-only bodies, strict validation, timeouts, one error shape.
import Fastify, { type FastifyInstance } from 'fastify';
import type { HttpBounds } from '../../shared';
import type { ConnectionCap } from './connection-cap';
import { installErrorHandlers, sendApiError } from './error-handler';
import { schemaValidator } from './schema-validator';
import { serverFactory } from './http-server';

export interface HttpAppOptions {
  logger: boolean;
  logLevel: string;
  /** The bounds in force (shared httpBounds()), as /api/info shows them. */
  bounds: HttpBounds;
  connections: ConnectionCap;
}

export function createHttpApp(opts: HttpAppOptions): FastifyInstance {
  const app = Fastify({
    logger: opts.logger
      ? { level: opts.logLevel, stream: process.stderr, serializers: { req: redactedRequest } }
      : false,
    bodyLimit: opts.bounds.bodyLimitBytes,
    // The factory sets the deadlines, keep-alive and idle timeouts (Fastify's own options apply only to a server it makes).
    serverFactory: serverFactory({ timeouts: opts.bounds, cap: opts.connections }),
    // The factory answers parser errors on every server it builds; Fastify would attach its own (text body) to one.
    clientErrorHandler: () => {},
    // A bad URL encoding (400) or an over-long path parameter (414), found by the router before any route or hook.
    frameworkErrors: sendApiError,
    // SIGTERM and app.close() must not wait for keep-alive sockets or a pending ?wait=1.
    forceCloseConnections: true,
    return503OnClosing: true,
  });
  // Bodies are validated as sent (no coercion, no stripping, no defaults); query strings and params are converted.
  app.setValidatorCompiler(schemaValidator);
  // Replies are plain JSON: response schemas document the API, tests check replies against them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installJsonOnly(app);
  installErrorHandlers(app);
  installHeaders(app);
  return app;
}

/** No framing (clickjacking), no sniffing, no Referer carrying a ?token=; API answers are never cached. */
function installHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}

/**
 * A cross-site form can POST text/plain, urlencoded or multipart without a CORS preflight: none of them
 * has a parser, so Fastify answers 415. An empty application/json body counts as no body (POST .../close).
 */
function installJsonOnly(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body.toString().trim() === '') done(null, undefined);
    else json(req, body as string, done);
  });
}

function redactedRequest(req: { method: string; url: string; ip?: string }): Record<string, unknown> {
  return { method: req.method, url: req.url.replace(/([?&]token=)[^&]*/g, '$1***'), remoteAddress: req.ip };
}

/** The bound port, or undefined before listen() (e.g. when only app.inject is used). */
export function listeningPort(app: FastifyInstance): number | undefined {
  if (!app.server.listening) return undefined;
  const address = app.server.address();
  return address !== null && typeof address === 'object' ? address.port : undefined;
}
