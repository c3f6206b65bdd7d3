// The netstat rows: what GET /api/sockets returns and what the snapshot frame carries.
import { Type, type Static } from 'typebox';
import { Nullable } from './nullable';
import { KernelFieldsSchema } from './tcp-state';
import { ConnectionIdSchema, ListenerIdSchema } from './ids';
import { ConnectionStateSchema, ListenerStateSchema } from './socket-state';
import { FaultSchema } from './fault';
import { FramingRuleSchema } from './framing/rule';
import { CaptureHeadBytesSchema } from './limits';
import { SessionIdSchema } from './sessions';

export const EndpointSchema = Type.Object({
  address: Type.String(),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
});
export type Endpoint = Static<typeof EndpointSchema>;

/** `address:port` as netstat and URLs write it, an IPv6 address in brackets. */
export const addressPort = (address: string, port: number | string): string =>
  `${address.includes(':') ? `[${address}]` : address}:${port}`;

/** An endpoint as addressPort() writes it, `none` for a missing one. */
export const endpointText = (e: Endpoint | null | undefined, none = '?'): string =>
  e ? addressPort(e.address, e.port) : none;

export const FamilySchema = Type.Union([Type.Literal('IPv4'), Type.Literal('IPv6')]);
export type Family = Static<typeof FamilySchema>;

export const AcceptModeSchema = Type.Union(
  [Type.Literal('read'), Type.Literal('hold'), Type.Literal('echo'), Type.Literal('never')],
  {
    description:
      'read: accept and read (default); hold: accept but never read until resumed; echo: write back every read; never: listen() but never accept(): the kernel queues connections until the backlog is full',
  },
);
export type AcceptMode = Static<typeof AcceptModeSchema>;

export { Nullable };

/** A row's responders in brief (rows and config events carry this; the rules themselves are GET .../responders). */
export const RespondersSummarySchema = Type.Object({
  mode: Type.Union([Type.Literal('echo'), Type.Literal('rules'), Type.Literal('off')]),
  rules: Type.Integer({ minimum: 0, description: 'How many rules (mode rules)' }),
});
export type RespondersSummary = Static<typeof RespondersSummarySchema>;

export const ConnectionRowSchema = Type.Object({
  id: ConnectionIdSchema,
  kind: Type.Union([Type.Literal('client'), Type.Literal('accepted')]),
  parent: Nullable(ListenerIdSchema),
  target: Nullable(EndpointSchema),
  local: Nullable(EndpointSchema),
  remote: Nullable(EndpointSchema),
  family: Nullable(FamilySchema),
  state: ConnectionStateSchema,
  createdAt: Type.Integer(),
  stateChangedAt: Type.Integer(),
  closedAt: Nullable(Type.Integer()),
  attempt: Type.Integer({ minimum: 0, description: 'Current connect attempt (1-based); 0 for accepted sockets' }),
  attempts: Type.Integer({ minimum: 0, description: 'Attempts allowed by the retry policy' }),
  bytesIn: Type.Integer({ minimum: 0 }),
  bytesOut: Type.Integer({ minimum: 0 }),
  chunksIn: Type.Integer({ minimum: 0 }),
  chunksOut: Type.Integer({ minimum: 0 }),
  droppedBytes: Type.Integer({ minimum: 0, description: 'Captured bytes evicted from the bounded capture ring' }),
  droppedChunks: Type.Integer({ minimum: 0 }),
  queuedBytes: Type.Integer({
    minimum: 0,
    description: 'Bytes written by sockscope but still buffered in Node (not yet handed to the kernel)',
  }),
  paused: Type.Boolean(),
  noDelay: Type.Boolean(),
  keepAlive: Type.Boolean(),
  fault: Nullable(FaultSchema),
  session: Type.Optional(
    Type.Union([SessionIdSchema, Type.Null()], {
      description: "The session it belongs to (its listener's, when accepted)",
    }),
  ),
  framing: Type.Optional(
    Type.Union([FramingRuleSchema, Type.Null()], {
      description: 'How this connection cuts its bytes into messages; null or absent: none',
    }),
  ),
  framingError: Type.Optional(
    Nullable(
      Type.String({
        description:
          'Why framing stopped, per direction ("in: length header announces ..."): a bad header, a frame over framingPendingPerConnectionBytes or framingPendingTotalBytes; null while it decodes',
      }),
    ),
  ),
  captureHeadBytes: Type.Optional(CaptureHeadBytesSchema),
  responders: Type.Optional(RespondersSummarySchema),
  closeOnPeerFin: Type.Optional(
    Type.Boolean({ description: "Closes as soon as the peer's FIN arrives (from its listener's closeOnPeerFin)" }),
  ),
  ...KernelFieldsSchema,
});
export type ConnectionRow = Static<typeof ConnectionRowSchema>;

export const ListenerRowSchema = Type.Object({
  id: ListenerIdSchema,
  local: EndpointSchema,
  family: FamilySchema,
  backlog: Type.Integer({ minimum: 1 }),
  accept: AcceptModeSchema,
  closeOnPeerFin: Type.Optional(Type.Boolean({ description: 'Accepted connections close when the peer sends FIN' })),
  exposed: Type.Boolean({ description: 'Bound to a wildcard or non-loopback address: reachable from other hosts' }),
  state: ListenerStateSchema,
  accepted: Type.Integer({ minimum: 0, description: 'Connections accepted so far' }),
  dropped: Type.Integer({
    minimum: 0,
    description: 'Connections accepted and reset at once because maxConnections was reached',
  }),
  createdAt: Type.Integer(),
  closedAt: Nullable(Type.Integer()),
  fault: Nullable(FaultSchema),
  session: Type.Optional(Type.Union([SessionIdSchema, Type.Null()], { description: 'The session it belongs to' })),
  framing: Type.Optional(
    Type.Union([FramingRuleSchema, Type.Null()], {
      description: 'Framing rule given to connections accepted from now on; null or absent: none',
    }),
  ),
  responders: Type.Optional(RespondersSummarySchema),
  captureHeadBytes: Type.Optional(
    Type.Union([CaptureHeadBytesSchema, Type.Null()], {
      description: 'Head given to connections accepted from now on; null or absent: captureHeadBytes of the limits',
    }),
  ),
  ...KernelFieldsSchema,
});
export type ListenerRow = Static<typeof ListenerRowSchema>;

export const SocketsSchema = Type.Object({
  listeners: Type.Array(ListenerRowSchema),
  connections: Type.Array(ConnectionRowSchema),
});
export type Sockets = Static<typeof SocketsSchema>;

export const ChunkSchema = Type.Object({
  index: Type.Integer({
    minimum: 1,
    description: 'Per connection, both directions, 1 for the first chunk read or written',
  }),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  at: Type.Integer({ description: 'Microseconds since the Unix epoch' }),
  offset: Type.Integer({ minimum: 0, description: 'Stream offset of the first byte in this direction' }),
  length: Type.Integer({ minimum: 0 }),
  data: Type.String({ description: 'The bytes, base64' }),
});
export type Chunk = Static<typeof ChunkSchema>;
export type Direction = Chunk['direction'];
