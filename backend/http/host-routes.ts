// The host view: GET /api/host/sockets, every TCP socket on the machine as `ss -tan` shows it. One inspector call.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HostSocketsQuerySchema, HostSocketsReplySchema } from '../../shared';
import { errorReplies } from './route-common';

export async function hostRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const inspector = fastify.inspector;

  app.get(
    '/api/host/sockets',
    {
      schema: {
        tags: ['host'],
        summary: 'Every TCP socket on this host, like `ss -tan`: state, queues, addresses, uid, inode, owning process',
        description:
          'Read from /proc/net/tcp and /proc/net/tcp6 for this request. `state` takes comma-separated TCP states ' +
          '(TIME_WAIT or ss spellings such as TIME-WAIT, ESTAB); `port` matches the local or the remote port. ' +
          "ownerId marks sockscope's own listeners and connections (also after close, while the kernel keeps them). " +
          'The owning process comes from /proc/PID/fd (other users need root). For LISTEN, Recv-Q is the accept queue; ' +
          "/proc carries no backlog, so Send-Q shows it only for sockscope's own listeners. Without /proc the reply " +
          'says why, with no sockets.',
        querystring: HostSocketsQuerySchema,
        response: { 200: HostSocketsReplySchema, ...errorReplies },
      },
    },
    async (request) => inspector.hostSockets(request.query),
  );
}
