// Every buffer and queue in sockscope has a bound; these are the defaults, all overridable at start-up.
import { Type, type Static } from 'typebox';

export const LimitsSchema = Type.Object({
  maxListeners: Type.Integer({ minimum: 1 }),
  maxConnections: Type.Integer({ minimum: 1, description: 'Live (not closed) connections, client and accepted' }),
  maxClosedRows: Type.Integer({
    minimum: 0,
    description: 'Closed rows kept for inspection; the oldest are forgotten first',
  }),
  capturePerConnectionBytes: Type.Integer({ minimum: 0 }),
  captureTotalBytes: Type.Integer({ minimum: 0 }),
  eventLogEvents: Type.Integer({ minimum: 1 }),
  eventLogPayloadBytes: Type.Integer({ minimum: 0, description: 'Payload bytes kept in logged data events' }),
  streamSoftBytes: Type.Integer({
    minimum: 0,
    description: 'Per WebSocket client: above this, data payloads are left out',
  }),
  streamHardBytes: Type.Integer({
    minimum: 0,
    description: 'Per WebSocket client: above this, the client is disconnected as lagged',
  }),
  maxSendBytes: Type.Integer({ minimum: 1, description: 'Largest payload one send call accepts' }),
  maxQueuedBytesPerConnection: Type.Integer({
    minimum: 1,
    description:
      'Bytes sockscope may buffer for one connection (queuedBytes) while its peer does not read; a send that would pass it is refused (429), echo stops reading',
  }),
  maxQueuedBytesTotal: Type.Integer({
    minimum: 1,
    description:
      'Bytes sockscope may buffer for all connections together; a send that would pass it is refused (429), echo stops reading',
  }),
  maxHttpConnections: Type.Integer({
    minimum: 1,
    description: "Open TCP connections to sockscope's own HTTP server; a request on one more is answered 429",
  }),
  maxStreamClients: Type.Integer({
    minimum: 1,
    description: 'WebSocket /api/stream clients at once; one more is closed with code 1013',
  }),
});
export type Limits = Static<typeof LimitsSchema>;

export const DEFAULT_LIMITS: Limits = {
  maxListeners: 64,
  maxConnections: 1024,
  maxClosedRows: 2000,
  capturePerConnectionBytes: 1 << 20,
  captureTotalBytes: 64 << 20,
  eventLogEvents: 20000,
  eventLogPayloadBytes: 16 << 20,
  streamSoftBytes: 1 << 20,
  streamHardBytes: 16 << 20,
  maxSendBytes: 1 << 20,
  // A peer that never reads leaves every byte sent to it in sockscope: 16 MiB holds the largest demos (the 8 MiB
  // partial-send lab, 10 MB in the README) with room, and the total keeps 1024 such connections at 64 MiB, not 16 GiB.
  maxQueuedBytesPerConnection: 16 << 20,
  maxQueuedBytesTotal: 64 << 20,
  // A browser keeps about 6 connections per host and scripts a few each: 256 is far above real use, and bounds what a
  // runaway script (or a slowloris) can hold. Each stream client holds a bounded queue (streamHardBytes).
  maxHttpConnections: 256,
  maxStreamClients: 32,
};
