// Every buffer and queue in sockscope has a bound; these are the defaults, all overridable at start-up.
import { Type, type Static } from 'typebox';
import { STREAM_CLOSE } from './stream-close';

/**
 * What one captured chunk costs in the heap besides its payload, charged against the capture caps so that tiny reads
 * (a TCP_NODELAY peer's 1-byte writes) stay within them too: counting payload only, 1-byte reads took GiBs under a
 * 64 MiB cap. Measured on Node 20 x64 (`node --expose-gc --import tsx test/backend/inspector/chunk-cost.ts`): 333-363
 * bytes for a chunk of 1 to 100 bytes (its record, its Buffer and ArrayBuffer of its own, its place in the eviction
 * queue; malloc's header comes on top), 295 for a 5000-byte chunk in a recycled slab; rounded up.
 */
export const CHUNK_OVERHEAD_BYTES = 384;
/**
 * What one kept framed message costs in the heap besides its payload (its record, its reads list, the ArrayBuffer its
 * frame is copied into, its place in the eviction queue), charged against the message caps so that tiny messages stay
 * within them too (10,000 of them took 4.5 MiB counted as 10 KiB). Measured on Node 20 x64 by
 * test/backend/inspector/chunk-cost.ts for a message from one read: 313-331 bytes, 336-352 with its entry in the
 * MessageStore's queue (436-487 before the pending tail merged reads); rounded up. Each further read it spanned costs
 * READ_ENTRY_BYTES more (at most MAX_LISTED_READS are listed).
 */
export const MESSAGE_OVERHEAD_BYTES = 512;
export const READ_ENTRY_BYTES = 8;
/** Largest head a connection or listener may ask for (the caps clamp it further). */
export const MAX_HEAD_BYTES = 1 << 30;

export const CaptureHeadBytesSchema = Type.Integer({
  minimum: 0,
  maximum: MAX_HEAD_BYTES,
  description:
    'First bytes of each direction kept for good (never evicted), so the start of a conversation survives a flood. They count in the caps: at most half of capturePerConnectionBytes per connection and half of captureTotalBytes over all connections are head (overhead included), so tiny reads make a shorter head',
});

export const LimitsSchema = Type.Object({
  maxListeners: Type.Integer({ minimum: 1 }),
  maxConnections: Type.Integer({ minimum: 1, description: 'Live (not closed) connections, client and accepted' }),
  maxClosedRows: Type.Integer({
    minimum: 0,
    description: 'Closed rows kept for inspection; the oldest are forgotten first',
  }),
  capturePerConnectionBytes: Type.Integer({
    minimum: 0,
    description: `Capture memory per connection: payload plus ${CHUNK_OVERHEAD_BYTES} bytes per chunk (what a chunk costs in the heap)`,
  }),
  captureTotalBytes: Type.Integer({
    minimum: 0,
    description: `Capture memory of all connections: payload plus ${CHUNK_OVERHEAD_BYTES} bytes per chunk`,
  }),
  captureHeadBytes: CaptureHeadBytesSchema,
  eventLogEvents: Type.Integer({
    minimum: 1,
    description:
      'Events kept for replay; a data event costs about 256 bytes of heap besides its payload (eventLogPayloadBytes counts that), whatever its size',
  }),
  eventLogPayloadBytes: Type.Integer({ minimum: 0, description: 'Payload bytes kept in logged data events' }),
  streamSoftBytes: Type.Integer({
    minimum: 0,
    description: 'Per WebSocket client: above this, data payloads are left out',
  }),
  streamHardBytes: Type.Integer({
    minimum: 0,
    description: 'Per WebSocket client: above this, the client is disconnected as lagged',
  }),
  framingPendingPerConnectionBytes: Type.Integer({
    minimum: 0,
    description:
      'Bytes of unfinished frames a connection may hold (both directions): a longer frame is a framing error, its bytes dropped and counted',
  }),
  framingPendingTotalBytes: Type.Integer({
    minimum: 0,
    description:
      'Bytes of unfinished frames all connections together may hold; past it, the frame growing is a framing error',
  }),
  framingMessagesTotalBytes: Type.Integer({
    minimum: 0,
    description: `Decoded messages kept for the Messages view, all connections and both directions together: payload plus ${MESSAGE_OVERHEAD_BYTES} bytes per message. Past it the oldest messages of any connection are let go first, counted in each reply as evictedMessages`,
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
    description: `WebSocket /api/stream clients at once; one more is closed with code ${STREAM_CLOSE.tooManyClients.code} "${STREAM_CLOSE.tooManyClients.reason}"`,
  }),
});
export type Limits = Static<typeof LimitsSchema>;

export const DEFAULT_LIMITS: Limits = {
  maxListeners: 64,
  maxConnections: 1024,
  maxClosedRows: 2000,
  capturePerConnectionBytes: 1 << 20,
  captureTotalBytes: 64 << 20,
  captureHeadBytes: 256 << 10,
  eventLogEvents: 20000,
  eventLogPayloadBytes: 16 << 20,
  streamSoftBytes: 1 << 20,
  streamHardBytes: 16 << 20,
  framingPendingPerConnectionBytes: 1 << 20,
  framingPendingTotalBytes: 16 << 20,
  // Each row keeps up to capturePerConnectionBytes of messages per direction: without a total, 1024 live and 2000
  // closed rows could hold ~6 GiB of them.
  framingMessagesTotalBytes: 32 << 20,
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
