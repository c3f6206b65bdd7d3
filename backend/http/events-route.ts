// GET /api/stream (WebSocket): the snapshot frame, then events in batches (JSON arrays), through a bounded per-client queue.
import type { FastifyInstance } from 'fastify';
import { STREAM_CLOSE, StreamQuerySchema, tooManyStreamClients } from '../../shared';
import type { Subscription } from '../inspector/api';
import { httpError } from './http-errors';
import { StreamEncoder, StreamSender } from './stream-sender';

export async function eventsRoute(fastify: FastifyInstance): Promise<void> {
  const inspector = fastify.inspector;
  const encoder = new StreamEncoder();
  const { maxStreamClients } = inspector.limits;
  let clients = 0;
  fastify.route({
    method: 'GET',
    url: '/api/stream',
    config: { queryToken: true },
    schema: {
      tags: ['events'],
      summary: 'WebSocket: a snapshot frame, then every event as it happens',
      description:
        'Upgrade to a WebSocket (token as Bearer header, cookie or ?token=). The first frame is the snapshot; with ' +
        '?since=SEQ it carries the replay of logged events after SEQ, or lagged: true when they were evicted. Every later ' +
        'message is a JSON array of events in seq order (one batch per event-loop turn). A client ' +
        'that falls behind first gets data events without payload (truncated: true), then is closed with code ' +
        `${STREAM_CLOSE.lagged.code} "${STREAM_CLOSE.lagged.reason}"; one client more than ` +
        `maxStreamClients is closed with code ${STREAM_CLOSE.tooManyClients.code} "${STREAM_CLOSE.tooManyClients.reason} (max N)".`,
      querystring: StreamQuerySchema,
    },
    handler: async () => {
      throw httpError('UPGRADE_REQUIRED', '/api/stream is a WebSocket endpoint: connect with a WebSocket client');
    },
    wsHandler: (socket, request) => {
      // Refused after the upgrade (not with a 429 before it): browsers hide an upgrade's status, not a close reason.
      if (clients >= maxStreamClients) {
        socket.on('message', () => {});
        socket.close(STREAM_CLOSE.tooManyClients.code, tooManyStreamClients(maxStreamClients));
        return;
      }
      clients++;
      socket.once('close', () => clients--);
      // Everything up to subscribe() is synchronous: no event can slip between the snapshot and the first live frame.
      const since = (request.query as { since?: number }).since;
      const sender = new StreamSender(socket, inspector.limits, request.log, encoder);
      socket.on('message', () => {}); // clients have nothing to say; handlers must be attached before any await
      let subscription: Subscription;
      try {
        subscription = inspector.subscribe((event) => sender.send(event), since);
      } catch (err) {
        request.log.error({ err }, 'subscribe failed');
        socket.close(STREAM_CLOSE.internalError.code, STREAM_CLOSE.internalError.reason);
        return;
      }
      sender.onLagged = () => subscription.unsubscribe();
      socket.on('close', () => {
        subscription.unsubscribe();
        sender.closed();
      });
      sender.sendSnapshot(subscription.snapshot);
    },
  });
}
