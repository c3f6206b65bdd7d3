// Auto-responders: echo, or ordered rules matching each framed message (or raw read) and writing a reply.
import { Type, type Static } from 'typebox';
import { Nullable } from './nullable';
import { PayloadEncodingSchema } from './rest';
import { ConnectionIdSchema, ListenerIdSchema } from './ids';

const strict = { additionalProperties: false } as const;
/** Bytes of a message a rule looks at: a regex (RE2, linear time) never runs on more. */
export const RESPONDER_MATCH_BYTES = 64 * 1024;
/** Replies one connection may send per second; past it replies are skipped and counted (two echoes facing each other). */
export const RESPONDER_REPLIES_PER_SECOND = 100;
export const MAX_RESPONDER_RULES = 1000;
/** The longest a rule may wait before its reply. */
export const MAX_RESPONDER_DELAY_MS = 60_000;

const Text = Type.String({ maxLength: 65536 });
export const ResponderMatchSchema = Type.Union(
  [
    Type.Object(
      {
        regex: Type.String({
          minLength: 1,
          maxLength: 4096,
          description:
            'Regex in RE2 syntax (JavaScript spellings accepted; no back-references or lookarounds: it runs in ' +
            `linear time) on the first ${RESPONDER_MATCH_BYTES} bytes of the message as UTF-8 text`,
        }),
        flags: Type.Optional(
          Type.String({ pattern: '^[imsu]*$', maxLength: 4, description: 'i, m, s as in JavaScript; u is implied' }),
        ),
      },
      strict,
    ),
    Type.Object({ equals: Text, encoding: Type.Optional(PayloadEncodingSchema) }, strict),
    Type.Object({ contains: Text, encoding: Type.Optional(PayloadEncodingSchema) }, strict),
    Type.Object({ startsWith: Text, encoding: Type.Optional(PayloadEncodingSchema) }, strict),
  ],
  { description: 'equals / contains / startsWith compare bytes (the text decoded with `encoding`, utf8 by default)' },
);
export type ResponderMatch = Static<typeof ResponderMatchSchema>;

export const ResponderReplySchema = Type.Object(
  {
    data: Type.String({
      maxLength: 1_000_000,
      description: '$0 is the whole match, $1..$9 regex groups, $$ a dollar; inserted as UTF-8 bytes',
    }),
    encoding: Type.Optional(PayloadEncodingSchema),
  },
  strict,
);
export type ResponderReply = Static<typeof ResponderReplySchema>;

export const ThenActionSchema = Type.Union([Type.Literal('close'), Type.Literal('half-close'), Type.Literal('reset')]);
export type ThenAction = Static<typeof ThenActionSchema>;

export const ResponderRuleSchema = Type.Object(
  {
    match: Type.Optional(ResponderMatchSchema),
    reply: Type.Optional(ResponderReplySchema),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_RESPONDER_DELAY_MS })),
    then: Type.Optional(ThenActionSchema),
  },
  { ...strict, description: 'No match: every message. No reply: only the `then` action (or nothing, just the hit).' },
);
export type ResponderRule = Static<typeof ResponderRuleSchema>;

export const RespondersBodySchema = Type.Object(
  {
    mode: Type.Optional(
      Type.Union([Type.Literal('echo'), Type.Literal('rules'), Type.Literal('off')], {
        description: 'echo: write back every message (or read); rules (default): the first matching rule answers',
      }),
    ),
    rules: Type.Optional(Type.Array(ResponderRuleSchema, { maxItems: MAX_RESPONDER_RULES })),
  },
  strict,
);
export type RespondersBody = Static<typeof RespondersBodySchema>;

export const RespondersReplySchema = Type.Object({
  id: Type.Union([ConnectionIdSchema, ListenerIdSchema]),
  mode: Type.Union([Type.Literal('echo'), Type.Literal('rules'), Type.Literal('off')]),
  rules: Type.Array(Type.Object({ ...ResponderRuleSchema.properties, hits: Type.Integer({ minimum: 0 }) })),
  echoes: Type.Integer({ minimum: 0, description: 'Messages echoed (mode echo)' }),
  replies: Type.Integer({ minimum: 0, description: 'Replies written' }),
  suppressed: Type.Integer({ minimum: 0, description: 'Replies skipped by the per-connection rate limit' }),
  lastError: Nullable(Type.String({ description: 'Why the last reply could not be written (framing, state)' })),
});
export type RespondersReply = Static<typeof RespondersReplySchema>;
