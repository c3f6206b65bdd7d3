// An expect body checked and compiled: exactly one condition, a regex RE2 can run, a framing rule that decodes.
import {
  DEFAULT_EXPECT_TIMEOUT_MS,
  EXPECT_CONDITIONS,
  ExpectBodySchema,
  compileRegex,
  describeExpectation,
  type ConnectionState,
  type Direction,
  type ExpectBody,
  type ExpectCondition,
  type FramingRule,
  type SafeRegex,
  type TcpState,
} from '../../shared';
import { badRequest } from '../inspector/errors';
import { checkFraming, checkSchema } from '../inspector/validate';

export type ExpectSpec =
  | { condition: 'bytes'; count: number }
  | { condition: 'text'; needle: Buffer; text: string }
  | { condition: 'regex'; re: SafeRegex }
  | { condition: 'message'; rule: FramingRule; count: number }
  | { condition: 'state'; state: ConnectionState }
  | { condition: 'tcpState'; tcpState: TcpState }
  | { condition: 'fault'; code: string };

export type ByteSpec = Extract<ExpectSpec, { condition: 'bytes' | 'text' | 'regex' | 'message' }>;

export interface ExpectPlan {
  spec: ExpectSpec;
  /** What was expected, as a message names it (the scenario step label's words): `text "hello"`. */
  label: string;
  direction: Direction;
  timeoutMs: number;
}

const BYTE_CONDITIONS = new Set<ExpectCondition>(['bytes', 'text', 'regex', 'message']);
export const isByteSpec = (s: ExpectSpec): s is ByteSpec => BYTE_CONDITIONS.has(s.condition);

/** Throws BAD_REQUEST (with the field) for anything the schema or the condition rules refuse. */
export function checkExpectBody(body: unknown): ExpectPlan {
  const b = checkSchema(ExpectBodySchema, body);
  const given = EXPECT_CONDITIONS.filter((c) => b[c] !== undefined);
  if (given.length !== 1) {
    const got = given.length === 0 ? 'none' : given.join(' and ');
    throw badRequest(
      `give exactly one condition of ${EXPECT_CONDITIONS.join(', ')}; got ${got}`,
      given[1] ?? 'condition',
    );
  }
  return {
    spec: specOf(b, given[0]!),
    label: describeExpectation(b),
    direction: b.direction ?? 'in',
    timeoutMs: b.timeoutMs ?? DEFAULT_EXPECT_TIMEOUT_MS,
  };
}

function specOf(b: ExpectBody, condition: ExpectCondition): ExpectSpec {
  switch (condition) {
    case 'bytes':
      return { condition, count: b.bytes! };
    case 'text':
      return { condition, text: b.text!, needle: Buffer.from(b.text!, 'utf8') };
    case 'regex':
      return { condition, re: regexOf(b.regex!) };
    case 'message':
      return { condition, rule: checkFraming(b.message!.framing, 'message.framing')!, count: b.message!.count ?? 1 };
    case 'state':
      return { condition, state: b.state! };
    case 'tcpState':
      return { condition, tcpState: b.tcpState! };
    case 'fault':
      return { condition, code: b.fault! };
  }
}

function regexOf(source: string): SafeRegex {
  const compiled = compileRegex(source);
  if (!compiled.ok) throw badRequest(`regex: ${compiled.message}`, 'regex');
  return compiled.re;
}
