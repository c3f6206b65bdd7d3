// REST for everything but connections: health, info, sockets, listeners, events, errno. One inspector call per handler.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CloseListenerQuerySchema,
  ErrnoReplySchema,
  EventsPageSchema,
  EventsQuerySchema,
  HealthReplySchema,
  InfoReplySchema,
  ListenerOptionsBodySchema,
  ListenerRowSchema,
  OpenListenerBodySchema,
  SocketsSchema,
  errnoInfo,
  type HttpBounds,
} from '../../shared';
import { requestError } from '../inspector/errors';
import { IdParamsSchema, errorReplies, freshKernel } from './route-common';

export interface RestRoutesOptions {
  version: string;
  port: () => number | undefined;
  /** The HTTP server's bounds in force, for /api/info. */
  http: HttpBounds;
}

export async function restRoutes(fastify: FastifyInstance, opts: RestRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const inspector = fastify.inspector;
  const preHandler = freshKernel(inspector);

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['meta'],
        summary: 'Liveness; needs no token',
        security: [],
        response: { 200: HealthReplySchema },
      },
    },
    async () => ({ ok: true as const, version: opts.version }),
  );

  app.get(
    '/api/info',
    {
      schema: {
        tags: ['meta'],
        summary:
          'Version, limits in force, own HTTP port and its bounds (deadlines, timeouts, body sizes), whether the kernel view (/proc/net/tcp) is available, connection target rules',
        response: { 200: InfoReplySchema, ...errorReplies },
      },
    },
    async () => ({
      version: opts.version,
      limits: inspector.limits,
      httpPort: opts.port() ?? 0,
      http: opts.http,
      kernel: inspector.kernel,
      targets: inspector.targets,
    }),
  );

  app.get(
    '/api/sockets',
    {
      preHandler,
      schema: {
        tags: ['sockets'],
        summary:
          'Every listener and connection row (kernel fields from a read of /proc/net/tcp* made for this request)',
        response: { 200: SocketsSchema, ...errorReplies },
      },
    },
    async () => inspector.sockets(),
  );

  app.post(
    '/api/listeners',
    {
      schema: {
        tags: ['listeners'],
        summary: 'Bind and listen; answers once bound (port 0 picks a free port)',
        body: OpenListenerBodySchema,
        response: { 201: ListenerRowSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const row = await inspector.listen(request.body);
      return reply.code(201).header('location', `/api/listeners/${row.id}`).send(row);
    },
  );

  app.get(
    '/api/listeners/:id',
    {
      preHandler,
      schema: { tags: ['listeners'], params: IdParamsSchema, response: { 200: ListenerRowSchema, ...errorReplies } },
    },
    async (request) => inspector.getListener(request.params.id),
  );

  app.delete(
    '/api/listeners/:id',
    {
      schema: {
        tags: ['listeners'],
        summary: 'Stop listening; accepted connections are kept unless connections=close',
        params: IdParamsSchema,
        querystring: CloseListenerQuerySchema,
        response: { 200: ListenerRowSchema, ...errorReplies },
      },
    },
    async (request) => inspector.closeListener(request.params.id, { connections: request.query.connections ?? 'keep' }),
  );

  app.post(
    '/api/listeners/:id/options',
    {
      schema: {
        tags: ['listeners'],
        summary: 'Options for the connections this listener accepts from now on: captureHeadBytes',
        params: IdParamsSchema,
        body: ListenerOptionsBodySchema,
        response: { 200: ListenerRowSchema, ...errorReplies },
      },
    },
    async (request) => inspector.setListenerOptions(request.params.id, request.body),
  );

  app.get(
    '/api/events',
    {
      schema: {
        tags: ['events'],
        summary: 'The event log after `since`, oldest first',
        querystring: EventsQuerySchema,
        response: { 200: EventsPageSchema, ...errorReplies },
      },
    },
    async (request) => inspector.events(request.query),
  );

  app.get(
    '/api/errno/:code',
    {
      schema: {
        tags: ['meta'],
        summary: 'What an errno code means and what to do about it (case-insensitive)',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 200: ErrnoReplySchema, ...errorReplies },
      },
    },
    async (request) => {
      const info = errnoInfo(request.params.code.toUpperCase());
      if (!info) throw requestError('UNKNOWN_ERRNO', `no entry for errno code ${JSON.stringify(request.params.code)}`);
      return { code: info.code, errno: info.errno, title: info.title, cause: info.cause, fix: info.fix };
    },
  );
}
