// Framing rules: how a protocol cuts its byte stream into messages. The JSON shapes scripts send to /framing.
import { Type, type Static } from 'typebox';
import { decodeEscaped } from '../codec';

/** Largest message a decoder buffers (and an encoder frames): a header announcing more is a framing error. */
export const MAX_FRAME_BYTES = 16 << 20;
const strict = { additionalProperties: false } as const;

export const LengthRuleSchema = Type.Object(
  {
    kind: Type.Literal('length'),
    bytes: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(4), Type.Literal(8)], {
      description: 'Size of the length header',
    }),
    endian: Type.Optional(Type.Union([Type.Literal('big'), Type.Literal('little')], { default: 'big' })),
    includesHeader: Type.Optional(
      Type.Boolean({ default: false, description: 'The length counts the whole frame (offset + header + payload)' }),
    ),
    offset: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1024,
        default: 0,
        description: 'Fixed bytes before the header (zeros when encoding)',
      }),
    ),
  },
  strict,
);
export const DelimiterRuleSchema = Type.Object(
  {
    kind: Type.Literal('delimiter'),
    delimiter: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'Escaped text (\\n, \\r\\n, \\0, \\xNN...); at most 64 bytes once decoded',
    }),
  },
  strict,
);
export const FixedRuleSchema = Type.Object(
  { kind: Type.Literal('fixed'), size: Type.Integer({ minimum: 1, maximum: MAX_FRAME_BYTES }) },
  strict,
);
export const JsonHeaderRuleSchema = Type.Object(
  { kind: Type.Literal('json-header') },
  { ...strict, description: '2-byte big-endian header length, a JSON header with content-length, then the content' },
);

export const FramingRuleSchema = Type.Union([
  LengthRuleSchema,
  DelimiterRuleSchema,
  FixedRuleSchema,
  JsonHeaderRuleSchema,
]);
export type FramingRule = Static<typeof FramingRuleSchema>;
export type LengthRule = Static<typeof LengthRuleSchema>;
export type DelimiterRule = Static<typeof DelimiterRuleSchema>;

export const MAX_DELIMITER_BYTES = 64;

/** The delimiter's bytes, or an error naming what is wrong with the escaped text. */
export function delimiterBytes(rule: DelimiterRule): { ok: true; bytes: Uint8Array } | { ok: false; message: string } {
  const r = decodeEscaped(rule.delimiter);
  if (!r.ok) return { ok: false, message: `delimiter: ${r.message}` };
  if (r.bytes.length === 0) return { ok: false, message: 'delimiter is empty' };
  if (r.bytes.length > MAX_DELIMITER_BYTES)
    return { ok: false, message: `delimiter is ${r.bytes.length} bytes; at most ${MAX_DELIMITER_BYTES}` };
  return { ok: true, bytes: r.bytes };
}

/** What schemas cannot say: a delimiter that decodes. null when the rule is usable. */
export function checkFramingRule(rule: FramingRule): string | null {
  if (rule.kind === 'delimiter') {
    const d = delimiterBytes(rule);
    return d.ok ? null : d.message;
  }
  return null;
}

/** A short human description: "4-byte big-endian length prefix", "delimiter \\r\\n". */
export function describeFramingRule(rule: FramingRule): string {
  switch (rule.kind) {
    case 'length': {
      const where = rule.offset ? ` after ${rule.offset} bytes` : '';
      const counts = rule.includesHeader ? ', counting the header' : '';
      return `${rule.bytes}-byte ${rule.endian ?? 'big'}-endian length prefix${where}${counts}`;
    }
    case 'delimiter':
      return `delimiter ${rule.delimiter}`;
    case 'fixed':
      return `fixed ${rule.size}-byte messages`;
    case 'json-header':
      return 'JSON header (2-byte length, content-length)';
  }
}
