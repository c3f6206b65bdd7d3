// REST for framing: set a rule on a connection or listener, read the framed messages. One inspector call per handler.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ConnectionRowSchema,
  FramingBodySchema,
  ListenerRowSchema,
  MessagesQuerySchema,
  MessagesReplySchema,
} from '../../shared';
import { IdParamsSchema, errorReplies } from './route-common';
import { framingOf } from '../framing/framing-api';

export async function framingRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const framing = framingOf(fastify.inspector);

  app.put(
    '/api/connections/:id/framing',
    {
      schema: {
        tags: ['framing'],
        summary: 'Set (or clear with null) how this connection cuts its bytes into messages; decoding starts over',
        params: IdParamsSchema,
        body: FramingBodySchema,
        response: { 200: ConnectionRowSchema, ...errorReplies },
      },
    },
    async (request) => framing.setConnectionFraming(request.params.id, request.body.framing),
  );

  app.put(
    '/api/listeners/:id/framing',
    {
      schema: {
        tags: ['framing'],
        summary: 'Set (or clear with null) the framing rule of connections this listener accepts from now on',
        params: IdParamsSchema,
        body: FramingBodySchema,
        response: { 200: ListenerRowSchema, ...errorReplies },
      },
    },
    async (request) => framing.setListenerFraming(request.params.id, request.body.framing),
  );

  app.get(
    '/api/connections/:id/messages',
    {
      schema: {
        tags: ['framing'],
        summary: 'Framed messages of one direction (in by default), with the reads each spanned and the pending tail',
        params: IdParamsSchema,
        querystring: MessagesQuerySchema,
        response: { 200: MessagesReplySchema, ...errorReplies },
      },
    },
    async (request) => framing.messages(request.params.id, request.query),
  );
}
