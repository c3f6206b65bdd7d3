// REST for connections: dial, inspect, send, half-close, close, reset, flow control, options, captured chunks.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CONNECTION_ACTIONS,
  ChunksQuerySchema,
  ChunksReplySchema,
  ConnectionRowSchema,
  OpenConnectionBodySchema,
  SendBodySchema,
  SendReplySchema,
  SocketOptionsBodySchema,
  WaitQuerySchema,
  type ConnectionAction,
  type ConnectionRow,
} from '../../shared';
import type { InspectorApi } from '../inspector/api';
import { connectWaitMs } from '../inspector/retry';
import { IdParamsSchema, NoBodySchema, clientGone, errorReplies, freshKernel, payloadBodyLimit } from './route-common';
import { framingRoutes } from './framing-routes';
import { responderRoutes } from './responder-routes';

const CLOSE_REPLY_WAIT_MS = 1000;
const ACTION_SUMMARY: Record<ConnectionAction, string> = {
  shutdown: 'Send FIN (half-close our side); reading goes on',
  close: 'Graceful close: FIN, then the socket is released; answers once closed (or after 1 s, still flushing)',
  reset: 'Abort with RST; the peer sees ECONNRESET; answers once closed',
  pause: 'Stop reading: bytes pile up in the kernel and the window closes',
  resume: 'Start reading again',
};

export async function connectionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const inspector = fastify.inspector;
  const row = { 200: ConnectionRowSchema, ...errorReplies };

  app.post(
    '/api/connections',
    {
      schema: {
        tags: ['connections'],
        summary: 'Dial; answers at once in `connecting`, or with ?wait=1 once open or failed',
        body: OpenConnectionBodySchema,
        querystring: WaitQuerySchema,
        response: { 201: ConnectionRowSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const opened = inspector.openConnection(request.body);
      const wait = request.query.wait;
      const settled =
        wait === true || wait === '1'
          ? await inspector.waitSettled(opened.id, connectWaitMs(request.body), clientGone(reply))
          : opened;
      return reply.code(201).header('location', `/api/connections/${opened.id}`).send(settled);
    },
  );

  app.get(
    '/api/connections/:id',
    { preHandler: freshKernel(inspector), schema: { tags: ['connections'], params: IdParamsSchema, response: row } },
    async (request) => inspector.getConnection(request.params.id),
  );

  app.post(
    '/api/connections/:id/send',
    {
      bodyLimit: payloadBodyLimit(inspector.limits),
      schema: {
        tags: ['connections'],
        summary:
          'Write bytes (utf8 by default, or hex / base64 / escaped), framed first when `framing` is given, as timed writes with `split` / `repeat`; nothing is written when the body is refused',
        description: [
          '`split` cuts the (framed) payload into `writes` nearly equal writes or writes of `chunkBytes`, `delayMs` apart;',
          '`repeat` sends it all `count` times, `intervalMs` between repetitions. Each write is its own out chunk.',
          'Without delays every write is made at once, so the peer may read them merged: TCP is a byte stream, not',
          'messages. The reply comes after the last write (at most 60 s of pauses per call); `writes` counts the writes',
          'made and `stopped` says why they ended early (connection closed, queue full), else null.',
          'A bad plan is 400 naming the field; a send whose total passes maxQueuedBytesPerConnection is 413; nothing is written then.',
        ].join(' '),
        params: IdParamsSchema,
        body: SendBodySchema,
        response: { 200: SendReplySchema, ...errorReplies },
      },
    },
    async (request) => inspector.send(request.params.id, request.body),
  );

  for (const action of CONNECTION_ACTIONS) {
    app.post(
      `/api/connections/:id/${action}`,
      {
        schema: {
          tags: ['connections'],
          summary: ACTION_SUMMARY[action],
          params: IdParamsSchema,
          body: NoBodySchema,
          response: row,
        },
      },
      async (request): Promise<ConnectionRow> => {
        const row = actionOf(inspector, action)(request.params.id);
        // Node reports the socket closed a moment after close/reset return: answer with the row as it ends up (a
        // close still flushing to a peer that does not read answers after CLOSE_REPLY_WAIT_MS, in its state then).
        return action === 'close' || action === 'reset' ? inspector.waitClosed(row.id, CLOSE_REPLY_WAIT_MS) : row;
      },
    );
  }

  app.post(
    '/api/connections/:id/options',
    {
      schema: {
        tags: ['connections'],
        summary:
          'Set TCP_NODELAY / SO_KEEPALIVE, and how many first bytes of each direction the capture keeps for good',
        params: IdParamsSchema,
        body: SocketOptionsBodySchema,
        response: row,
      },
    },
    async (request) => inspector.setOptions(request.params.id, request.body),
  );

  app.get(
    '/api/connections/:id/chunks',
    {
      schema: {
        tags: ['connections'],
        summary: 'Captured bytes, chunk by chunk, as each read or write saw them',
        params: IdParamsSchema,
        querystring: ChunksQuerySchema,
        response: { 200: ChunksReplySchema, ...errorReplies },
      },
    },
    async (request) => inspector.chunks(request.params.id, request.query),
  );

  await framingRoutes(fastify);
  await responderRoutes(fastify);
}

function actionOf(inspector: InspectorApi, action: ConnectionAction): (id: string) => ConnectionRow {
  switch (action) {
    case 'shutdown':
      return (id) => inspector.shutdown(id);
    case 'close':
      return (id) => inspector.close(id);
    case 'reset':
      return (id) => inspector.reset(id);
    case 'pause':
      return (id) => inspector.pause(id);
    case 'resume':
      return (id) => inspector.resume(id);
  }
}
