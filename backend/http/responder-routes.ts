// REST for responders on connections and listeners: replace the set, read it back with its hit counters.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RespondersBodySchema, RespondersReplySchema } from '../../shared';
import { IdParamsSchema, errorReplies, payloadBodyLimit } from './route-common';
import { respondersOf } from '../responders/responders-api';

export async function responderRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const inspector = fastify.inspector;
  const responders = respondersOf(inspector);
  const reply = { 200: RespondersReplySchema, ...errorReplies };
  const body = RespondersBodySchema;
  // Replies are payloads.
  const bodyLimit = payloadBodyLimit(inspector.limits);

  app.put(
    '/api/connections/:id/responders',
    {
      bodyLimit,
      schema: {
        tags: ['responders'],
        summary: 'Replace the responders: {"mode":"echo"}, {"rules":[...]} (first match answers) or {"mode":"off"}',
        params: IdParamsSchema,
        body,
        response: reply,
      },
    },
    async (request) => responders.setConnectionResponders(request.params.id, request.body),
  );
  app.get(
    '/api/connections/:id/responders',
    { schema: { tags: ['responders'], params: IdParamsSchema, response: reply } },
    async (request) => responders.connectionResponders(request.params.id),
  );
  app.put(
    '/api/listeners/:id/responders',
    {
      bodyLimit,
      schema: {
        tags: ['responders'],
        summary: 'Responders for connections accepted from now on (hits add up over all of them)',
        params: IdParamsSchema,
        body,
        response: reply,
      },
    },
    async (request) => responders.setListenerResponders(request.params.id, request.body),
  );
  app.get(
    '/api/listeners/:id/responders',
    { schema: { tags: ['responders'], params: IdParamsSchema, response: reply } },
    async (request) => responders.listenerResponders(request.params.id),
  );
}
