// REST for expect: wait until a condition holds on a connection (bytes, text, regex, messages, state, tcpState, fault).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ExpectBodySchema, ExpectReplySchema } from '../../shared';
import { IdParamsSchema, clientGone, errorReplies, freshKernel } from './route-common';

export async function expectRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const inspector = fastify.inspector;

  app.post(
    '/api/connections/:id/expect',
    {
      // A fresh kernel read first, so a tcpState condition is checked against current truth.
      preHandler: freshKernel(inspector),
      schema: {
        tags: ['expect'],
        summary:
          'Wait until exactly one condition holds; byte conditions read from a per-direction cursor that a match moves ' +
          'past it. 408 EXPECT_TIMEOUT with `seen` after timeoutMs, or at once when it can never hold',
        params: IdParamsSchema,
        body: ExpectBodySchema,
        response: { 200: ExpectReplySchema, ...errorReplies },
      },
    },
    async (request, reply) => inspector.expect(request.params.id, request.body, clientGone(reply)),
  );
}
