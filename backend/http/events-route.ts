// GET /api/stream (WebSocket): the snapshot frame, then every event as JSON, through a bounded per-client queue.
import type { FastifyInstance, FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { StreamQuerySchema, type InspectorEvent, type Limits, type SnapshotFrame } from '../../shared';
import type { Subscription } from '../inspector/api';
import { InspectorError } from '../inspector/errors';

/** Close code for a client that fell too far behind: reconnect with ?since=<last seq seen>. */
export const LAGGED_CLOSE_CODE = 4008;

export async function eventsRoute(fastify: FastifyInstance): Promise<void> {
  const inspector = fastify.inspector;
  fastify.route({
    method: 'GET',
    url: '/api/stream',
    config: { queryToken: true },
    schema: {
      tags: ['events'],
      summary: 'WebSocket: a snapshot frame, then every event as it happens',
      description:
        'Upgrade to a WebSocket (token as Bearer header, cookie or ?token=). The first frame is the snapshot; with ' +
        '?since=SEQ it carries the replay of logged events after SEQ, or lagged: true when they were evicted. A client ' +
        'that falls behind first gets data events without payload (truncated: true), then is closed with code 4008 "lagged".',
      querystring: StreamQuerySchema,
    },
    handler: async () => {
      throw new InspectorError(
        'BAD_REQUEST',
        426,
        '/api/stream is a WebSocket endpoint: connect with a WebSocket client',
      );
    },
    wsHandler: (socket, request) => {
      // Everything up to subscribe() is synchronous: no event can slip between the snapshot and the first live frame.
      const since = (request.query as { since?: number }).since;
      const sender = new BoundedSender(socket, inspector.limits, request.log);
      socket.on('message', () => {}); // clients have nothing to say; handlers must be attached before any await
      let subscription: Subscription;
      try {
        subscription = inspector.subscribe((event) => sender.send(event), since);
      } catch (err) {
        request.log.error({ err }, 'subscribe failed');
        socket.close(1011, 'internal error');
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

/**
 * ws's bufferedAmount counts what the client has not taken yet. Past streamSoftBytes, data events lose their payload
 * (length and counts stay exact); past streamHardBytes the client is cut off with 4008 and resumes with ?since.
 */
class BoundedSender {
  onLagged: () => void = () => {};
  private droppedBytes = 0;
  private truncatedEvents = 0;
  private done = false;
  private pending: InspectorEvent[] | null = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: Limits,
    private readonly log: FastifyBaseLogger,
  ) {}

  sendSnapshot(snapshot: SnapshotFrame): void {
    this.write(snapshot);
    const early = this.pending ?? [];
    this.pending = null;
    for (const event of early) this.send(event);
  }

  send(event: InspectorEvent): void {
    if (this.pending) {
      this.pending.push(event); // only if the inspector emitted inside subscribe(): keep the snapshot first
      return;
    }
    if (this.done || this.socket.readyState !== this.socket.OPEN) return;
    const buffered = this.socket.bufferedAmount;
    if (buffered > this.limits.streamHardBytes) return this.lagged(buffered);
    if (
      event.type === 'socket/data' &&
      !event.truncated &&
      buffered + event.data.length > this.limits.streamSoftBytes
    ) {
      this.droppedBytes += event.length;
      this.truncatedEvents++;
      return this.write({ ...event, data: '', truncated: true });
    }
    this.write(event);
  }

  closed(): void {
    this.done = true;
    if (this.truncatedEvents > 0)
      this.log.info(
        { droppedBytes: this.droppedBytes, truncatedEvents: this.truncatedEvents },
        'stream client dropped payloads',
      );
  }

  private write(frame: SnapshotFrame | InspectorEvent): void {
    this.socket.send(JSON.stringify(frame));
  }

  private lagged(buffered: number): void {
    this.done = true;
    this.onLagged();
    this.log.warn({ buffered, limit: this.limits.streamHardBytes }, 'stream client lagged; disconnecting');
    this.socket.close(LAGGED_CLOSE_CODE, 'lagged');
  }
}
