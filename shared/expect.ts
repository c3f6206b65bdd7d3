// Expectations: "answer when this holds on that connection", for scripts and scenarios (pexpect's idea, over REST).
import { Type, type Static } from 'typebox';
import { ConnectionIdSchema } from './ids';
import { ConnectionStateSchema } from './socket-state';
import { TcpStateSchema } from './tcp-state';
import { FramingRuleSchema } from './framing/rule';
import { MessageSchema } from './message';
import { Nullable } from './nullable';
import { MAX_WAIT_MS } from './waits';

const strict = { additionalProperties: false } as const;

export const DEFAULT_EXPECT_TIMEOUT_MS = 5000;
export const ExpectTimeoutMsSchema = Type.Integer({
  minimum: 0,
  maximum: MAX_WAIT_MS,
  default: DEFAULT_EXPECT_TIMEOUT_MS,
});

/**
 * A regex expect finds any match up to this many bytes long. It steps each byte once and keeps only the bytes a match
 * could still start in; when those reach back twice this far, the older ones leave its window (a longer match may then
 * go unfound, and a timeout says so).
 */
export const EXPECT_REGEX_LOOKBACK_BYTES = 512 * 1024;

export const EXPECT_CONDITIONS = ['bytes', 'text', 'regex', 'message', 'state', 'tcpState', 'fault'] as const;
export type ExpectCondition = (typeof EXPECT_CONDITIONS)[number];

/**
 * Exactly one condition. Byte conditions (bytes, text, regex, message) read one direction from a per-connection,
 * per-direction cursor: the first expect starts at the oldest captured byte, a match moves the cursor past what it
 * matched, so `expect text A` then `expect text B` finds B after A. Nothing before the cursor is scanned again.
 */
export const ExpectBodySchema = Type.Object(
  {
    direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')], { default: 'in' })),
    bytes: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1 << 26, description: 'At least N bytes after the cursor' }),
    ),
    text: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4096, description: 'These UTF-8 bytes, anywhere after the cursor' }),
    ),
    regex: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        description:
          'Regex in RE2 syntax (JavaScript spellings accepted; no back-references or lookarounds: it runs in linear ' +
          'time) over the bytes after the cursor, latin1 view (one char per byte). Checked after each read as if ' +
          `the text ended there; a match up to ${EXPECT_REGEX_LOOKBACK_BYTES} bytes long is always found`,
      }),
    ),
    message: Type.Optional(
      Type.Object(
        { framing: FramingRuleSchema, count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })) },
        strict,
      ),
    ),
    state: Type.Optional(ConnectionStateSchema),
    tcpState: Type.Optional(TcpStateSchema),
    fault: Type.Optional(Type.String({ pattern: '^E[A-Z0-9]+$', description: 'errno code, e.g. ECONNRESET' })),
    timeoutMs: Type.Optional(ExpectTimeoutMsSchema),
  },
  strict,
);
export type ExpectBody = Static<typeof ExpectBodySchema>;

export const ExpectMatchSchema = Type.Object({
  start: Type.Integer({ minimum: 0, description: 'Stream offset of the first matched byte (byte conditions)' }),
  end: Type.Integer({ minimum: 0, description: 'Stream offset just past the match; the cursor moves here' }),
  data: Type.String({ description: 'Matched bytes (at most 64 KiB), base64' }),
  groups: Type.Optional(Type.Array(Nullable(Type.String()), { description: 'Regex capture groups' })),
  messages: Type.Optional(Type.Array(MessageSchema)),
});
export type ExpectMatch = Static<typeof ExpectMatchSchema>;

export const ExpectReplySchema = Type.Object({
  id: ConnectionIdSchema,
  condition: Type.Enum(EXPECT_CONDITIONS),
  elapsedMs: Type.Number({ minimum: 0 }),
  /** Byte conditions: what matched and where. null for state/tcpState/fault. */
  match: Nullable(ExpectMatchSchema),
  state: ConnectionStateSchema,
  tcpState: Nullable(TcpStateSchema),
  fault: Nullable(Type.String()),
  cursor: Type.Integer({ minimum: 0, description: 'The direction cursor after this expect' }),
});
export type ExpectReply = Static<typeof ExpectReplySchema>;

/** What the connection showed when the expectation timed out (in the 408 error's `seen`). */
export const ExpectSeenSchema = Type.Object({
  bytes: Type.Integer({ minimum: 0, description: 'Bytes after the cursor' }),
  data: Type.String({ description: 'The last bytes after the cursor (at most 4096), base64' }),
  state: ConnectionStateSchema,
  tcpState: Nullable(TcpStateSchema),
  fault: Nullable(Type.String()),
  messages: Type.Optional(Type.Integer({ minimum: 0, description: 'Complete messages seen, for a message condition' })),
});
export type ExpectSeen = Static<typeof ExpectSeenSchema>;
