// REST for sessions: create one, open sockets in it (session on POST /api/listeners and /api/connections), report, reset all.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CreateSessionBodySchema, SessionListSchema, SessionReportSchema, SessionSchema } from '../../shared';
import { errorReplies } from './route-common';

const SessionParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 40, description: 'Session id, e.g. s-2' }) },
  { additionalProperties: false },
);

export async function sessionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const inspector = fastify.inspector;
  const tags = ['sessions'];

  app.post(
    '/api/sessions',
    {
      schema: {
        tags,
        summary: 'Create a session; pass its id as `session` when opening listeners and connections',
        body: CreateSessionBodySchema,
        response: { 201: SessionSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const session = inspector.createSession(request.body);
      return reply.code(201).header('location', `/api/sessions/${session.id}`).send(session);
    },
  );

  app.get(
    '/api/sessions',
    { schema: { tags, summary: 'Sessions, oldest first', response: { 200: SessionListSchema, ...errorReplies } } },
    async () => inspector.sessions(),
  );

  app.get(
    '/api/sessions/:id',
    { schema: { tags, params: SessionParamsSchema, response: { 200: SessionSchema, ...errorReplies } } },
    async (request) => inspector.getSession(request.params.id),
  );

  app.get(
    '/api/sessions/:id/report',
    {
      schema: {
        tags,
        summary: 'Sockets, bytes and faults of the session so far',
        params: SessionParamsSchema,
        response: { 200: SessionReportSchema, ...errorReplies },
      },
    },
    async (request) => inspector.sessionReport(request.params.id),
  );

  app.delete(
    '/api/sessions/:id',
    {
      schema: {
        tags,
        summary:
          'Reset every connection of the session (RST: no TIME_WAIT left) and close its listeners; answers the final ' +
          'report once all are closed',
        params: SessionParamsSchema,
        response: { 200: SessionReportSchema, ...errorReplies },
      },
    },
    async (request) => inspector.closeSession(request.params.id),
  );
}
