// Request bodies, query strings and replies of the REST API. Fastify validates with these very objects.
import { Type, type Static } from 'typebox';
import { AcceptModeSchema, ChunkSchema, Nullable } from './rows';
import { FramingRuleSchema } from './framing/rule';
import { FaultSchema } from './fault';
import { ConnectionIdSchema, ListenerIdSchema } from './ids';
import { CaptureHeadBytesSchema, LimitsSchema } from './limits';
import { HttpBoundsSchema } from './http-bounds';
import { KernelAvailabilitySchema } from './kernel';
import { SessionIdSchema } from './sessions';
import { MessageSchema, ReadCountSchema } from './message';
export { MessageSchema, type Message } from './message';
import { ExpectSeenSchema } from './expect';
import { SendRepeatSchema, SendSplitSchema } from './send-plan';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
export const TargetHostSchema = Type.String({
  minLength: 1,
  maxLength: 253,
  description: 'IPv4/IPv6 literal or host name',
});
const strict = { additionalProperties: false } as const;

// Defaults the schemas announce and the code applies (inspector, scenario steps, the UI's forms): written once, here.
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const RETRY_DEFAULTS = { backoff: 'exponential', initialDelayMs: 200, maxDelayMs: 5000, jitter: 0 } as const;
export const OPEN_LISTENER_DEFAULTS = {
  host: '127.0.0.1',
  backlog: 511,
  accept: 'read',
  closeOnPeerFin: false,
} as const;
/** Pages of chunks, messages and events: this many unless asked, at most MAX_PAGE_LIMIT. */
export const DEFAULT_PAGE_LIMIT = 1000;
export const MAX_PAGE_LIMIT = 10_000;
const PageLimit = Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT });

/** The fields the scenario's listen and connect steps share with these bodies. */
export const ConnectPortSchema = Type.Integer({ minimum: 1, maximum: 65535 });
export const ConnectTimeoutMsSchema = Type.Integer({
  minimum: 1,
  maximum: 600000,
  default: DEFAULT_CONNECT_TIMEOUT_MS,
  description: 'Connect timeout per attempt',
});
export const BindPortSchema = Port;
export const BindHostSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  default: OPEN_LISTENER_DEFAULTS.host,
  description: 'IP literal to bind',
});
export const BacklogSchema = Type.Integer({ minimum: 1, maximum: 65535, default: OPEN_LISTENER_DEFAULTS.backlog });

export const RetrySchema = Type.Object(
  {
    attempts: Type.Integer({ minimum: 1, maximum: 100, description: 'Total connect attempts, the first included' }),
    backoff: Type.Optional(
      Type.Union([Type.Literal('fixed'), Type.Literal('exponential')], { default: RETRY_DEFAULTS.backoff }),
    ),
    initialDelayMs: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 600000, default: RETRY_DEFAULTS.initialDelayMs }),
    ),
    maxDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600000, default: RETRY_DEFAULTS.maxDelayMs })),
    jitter: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        default: RETRY_DEFAULTS.jitter,
        description: 'Fraction of each delay randomised: 0.2 means +-20%',
      }),
    ),
  },
  strict,
);
export type Retry = Static<typeof RetrySchema>;

export const OpenConnectionBodySchema = Type.Object(
  {
    host: TargetHostSchema,
    port: ConnectPortSchema,
    timeoutMs: Type.Optional(ConnectTimeoutMsSchema),
    localAddress: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    localPort: Type.Optional(Port),
    family: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(4), Type.Literal(6)])),
    noDelay: Type.Optional(Type.Boolean()),
    keepAlive: Type.Optional(Type.Boolean()),
    retry: Type.Optional(RetrySchema),
    session: Type.Optional(SessionIdSchema),
  },
  strict,
);
export type OpenConnectionBody = Static<typeof OpenConnectionBodySchema>;

export const OpenListenerBodySchema = Type.Object(
  {
    host: Type.Optional(BindHostSchema),
    port: BindPortSchema,
    backlog: Type.Optional(BacklogSchema),
    accept: Type.Optional(AcceptModeSchema),
    closeOnPeerFin: Type.Optional(
      Type.Boolean({
        default: OPEN_LISTENER_DEFAULTS.closeOnPeerFin,
        description:
          "Close accepted connections when the peer's FIN arrives (what most servers do on recv() == b''); by default they stay half-open (CLOSE_WAIT) until you close them",
      }),
    ),
    session: Type.Optional(SessionIdSchema),
  },
  strict,
);
export type OpenListenerBody = Static<typeof OpenListenerBodySchema>;

/** The encodings the dashboard's send form offers today (a subset of PayloadEncoding). */
export const EncodingSchema = Type.Union([Type.Literal('utf8'), Type.Literal('hex'), Type.Literal('base64')]);
export type Encoding = Static<typeof EncodingSchema>;

/** Every encoding the codec (shared/codec.ts) and the REST API accept. */
export const PayloadEncodingSchema = Type.Union(
  [Type.Literal('utf8'), Type.Literal('hex'), Type.Literal('base64'), Type.Literal('escaped')],
  { description: 'escaped: text with \\n \\r \\t \\0 \\xNN \\\\ escapes (and \\" \\\')' },
);
export type PayloadEncoding = Static<typeof PayloadEncodingSchema>;

export const SendBodySchema = Type.Object(
  {
    data: Type.String({ maxLength: 2_800_000 }),
    encoding: Type.Optional(PayloadEncodingSchema),
    framing: Type.Optional(FramingRuleSchema),
    split: Type.Optional(SendSplitSchema),
    repeat: Type.Optional(SendRepeatSchema),
  },
  strict,
);
export type SendBody = Static<typeof SendBodySchema>;

export const SendReplySchema = Type.Object({
  id: ConnectionIdSchema,
  bytes: Type.Integer({ minimum: 0, description: 'Bytes handed to the socket by this call' }),
  bytesOut: Type.Integer({ minimum: 0 }),
  queuedBytes: Type.Integer({ minimum: 0, description: 'Bytes still buffered in Node after this write' }),
  writes: Type.Integer({ minimum: 0, description: 'write() calls made by this send (split and repeat make several)' }),
  stopped: Nullable(
    Type.String({
      description:
        'Why the writes stopped before the plan was done (connection closed, queue full); null when all were made',
    }),
  ),
});
export type SendReply = Static<typeof SendReplySchema>;

export const SocketOptionsBodySchema = Type.Object(
  {
    noDelay: Type.Optional(Type.Boolean()),
    keepAlive: Type.Optional(Type.Boolean()),
    keepAliveDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
    captureHeadBytes: Type.Optional(CaptureHeadBytesSchema),
  },
  strict,
);
export type SocketOptionsBody = Static<typeof SocketOptionsBodySchema>;

export const ListenerOptionsBodySchema = Type.Object(
  { captureHeadBytes: Type.Optional(CaptureHeadBytesSchema) },
  strict,
);
export type ListenerOptionsBody = Static<typeof ListenerOptionsBodySchema>;

export const ChunksQuerySchema = Type.Object(
  {
    direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])),
    since: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Return chunks with index > since' })),
    limit: Type.Optional(PageLimit),
  },
  strict,
);
export type ChunksQuery = Static<typeof ChunksQuerySchema>;

export const CaptureGapSchema = Type.Object({
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  start: Type.Integer({ minimum: 0, description: 'Stream offset of the first byte evicted' }),
  end: Type.Integer({ minimum: 0, description: 'Stream offset just past the last byte evicted' }),
});
export type CaptureGap = Static<typeof CaptureGapSchema>;

export const ChunksReplySchema = Type.Object({
  id: ConnectionIdSchema,
  chunks: Type.Array(ChunkSchema),
  droppedBytes: Type.Integer({ minimum: 0 }),
  droppedChunks: Type.Integer({ minimum: 0 }),
  gaps: Type.Optional(
    Type.Array(CaptureGapSchema, {
      description:
        'Per direction, the bytes evicted: after the kept head (captureHeadBytes) and before the oldest newer chunk; chunks keep their stream offsets on both sides',
    }),
  ),
  lastIndex: Type.Integer({ minimum: 0, description: 'Index of the newest chunk recorded (0 when none)' }),
  more: Type.Boolean(),
});
export type ChunksReply = Static<typeof ChunksReplySchema>;

export const FramingBodySchema = Type.Object(
  { framing: Type.Union([FramingRuleSchema, Type.Null()], { description: 'The rule, or null to stop framing' }) },
  strict,
);
export type FramingBody = Static<typeof FramingBodySchema>;

export const MessagesQuerySchema = Type.Object(
  {
    direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')], { default: 'in' })),
    since: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Return messages with index > since' })),
    limit: Type.Optional(PageLimit),
  },
  strict,
);
export type MessagesQuery = Static<typeof MessagesQuerySchema>;

export const PendingSchema = Type.Object({
  start: Type.Integer({ minimum: 0 }),
  length: Type.Integer({ minimum: 0 }),
  reads: Type.Array(Type.Integer({ minimum: 1 })),
  readCount: Type.Optional(ReadCountSchema),
  data: Type.String({ description: 'The first bytes of the incomplete tail (at most 4096), base64' }),
});
export type Pending = Static<typeof PendingSchema>;

export const MessagesReplySchema = Type.Object({
  id: ConnectionIdSchema,
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  framing: Nullable(FramingRuleSchema),
  messages: Type.Array(MessageSchema),
  pending: Nullable(PendingSchema),
  error: Nullable(Type.String({ description: 'Why decoding stopped (bad header, size limit); null while fine' })),
  skippedBytes: Type.Integer({
    minimum: 0,
    description:
      'Bytes evicted from the capture before the rule was set (before the oldest byte, or between the kept head and the newer bytes): decoding began afresh after them (may be misaligned)',
  }),
  droppedBytes: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'Bytes let go undecoded: an unfinished frame over framingPendingPerConnectionBytes / framingPendingTotalBytes (see error), and everything after an error',
    }),
  ),
  droppedMessages: Type.Integer({
    minimum: 0,
    description: 'Old messages forgotten to keep the list bounded (evictedMessages included)',
  }),
  evictedMessages: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        "Of droppedMessages, those let go to keep all connections' messages within framingMessagesTotalBytes (the oldest of any connection go first)",
    }),
  ),
  lastIndex: Type.Integer({ minimum: 0, description: 'Index of the newest message (0 when none)' }),
  more: Type.Boolean(),
});
export type MessagesReply = Static<typeof MessagesReplySchema>;

export const EventsQuerySchema = Type.Object(
  {
    since: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Return events with seq > since' })),
    limit: Type.Optional(PageLimit),
    id: Type.Optional(Type.Union([ConnectionIdSchema, ListenerIdSchema], { description: 'Only events about this id' })),
  },
  strict,
);
export type EventsQuery = Static<typeof EventsQuerySchema>;

export const StreamQuerySchema = Type.Object(
  { since: Type.Optional(Type.Integer({ minimum: 0 })), token: Type.Optional(Type.String()) },
  strict,
);

export const CloseListenerQuerySchema = Type.Object(
  { connections: Type.Optional(Type.Union([Type.Literal('keep'), Type.Literal('close')], { default: 'keep' })) },
  strict,
);

export const WaitQuerySchema = Type.Object(
  { wait: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1'), Type.Boolean()])) },
  strict,
);

export const HealthReplySchema = Type.Object({ ok: Type.Literal(true), version: Type.String() });

export const TargetRuleSchema = Type.Object({
  action: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
  cidr: Type.String({ description: 'Canonical CIDR range: 169.254.0.0/16, fe80::/10, 10.0.0.5/32' }),
  source: Type.Union([Type.Literal('default'), Type.Literal('user')], {
    description: 'default: the built-in deny list; user: --allow-target / --deny-target',
  }),
  note: Nullable(Type.String({ description: 'What lives in a default range' })),
});
export type TargetRule = Static<typeof TargetRuleSchema>;

export const InfoReplySchema = Type.Object({
  version: Type.String(),
  limits: LimitsSchema,
  httpPort: Type.Integer({
    minimum: 0,
    maximum: 65535,
    description: "sockscope's own HTTP port: connections to it are refused",
  }),
  http: HttpBoundsSchema,
  kernel: KernelAvailabilitySchema,
  targets: Type.Array(TargetRuleSchema, {
    description:
      'Connection target rules in the order they apply: the first whose range holds the address decides (user deny, user allow, default deny); an address none holds is allowed',
  }),
});
export type InfoReply = Static<typeof InfoReplySchema>;

export const ErrnoReplySchema = Type.Object({
  code: Type.String(),
  errno: Nullable(Type.Integer()),
  title: Type.String(),
  cause: Type.String(),
  fix: Type.String(),
});
export type ErrnoReply = Static<typeof ErrnoReplySchema>;

export const API_ERROR_CODES = [
  'BAD_REQUEST',
  'BAD_PAYLOAD',
  'UNAUTHORIZED',
  'FORBIDDEN_HOST',
  'FORBIDDEN_ORIGIN',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
  'CONNECTION_NOT_FOUND',
  'LISTENER_NOT_FOUND',
  'UNKNOWN_ERRNO',
  'NOT_WRITABLE',
  'INVALID_STATE',
  'BIND_FAILED',
  'SELF_CONNECT',
  'TARGET_DENIED',
  'LIMIT_REACHED',
  'EXPECT_TIMEOUT',
  'SESSION_NOT_FOUND',
  'BAD_SCENARIO',
  'LAB_NOT_FOUND',
  'NOT_CONNECTED',
  'REQUEST_TIMEOUT',
  'URI_TOO_LONG',
  'HEADERS_TOO_LARGE',
  'UPGRADE_REQUIRED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
export const ApiErrorCodeSchema = Type.Enum(API_ERROR_CODES);

export const ApiErrorSchema = Type.Object({
  error: Type.Object({
    code: ApiErrorCodeSchema,
    message: Type.String(),
    fault: Type.Optional(FaultSchema),
    limit: Type.Optional(Type.String({ description: 'Which limit was hit, with LIMIT_REACHED' })),
    field: Type.Optional(Type.String({ description: 'Offending field, when known' })),
    seen: Type.Optional(ExpectSeenSchema),
  }),
});
export type ApiError = Static<typeof ApiErrorSchema>;
