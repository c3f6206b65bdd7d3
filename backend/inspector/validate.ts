// Checks for callers that bypass the HTTP schemas (scripts, scenarios, tests): the same schemas and the same words as
// REST (shared/schema-message.ts); bad input throws BAD_REQUEST naming the field and changes nothing.
import net from 'node:net';
import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import {
  checkFramingRule,
  DEFAULT_CONNECT_TIMEOUT_MS,
  FramingRuleSchema,
  OPEN_LISTENER_DEFAULTS,
  OpenConnectionBodySchema,
  OpenListenerBodySchema,
  problemText,
  RespondersBodySchema,
  schemaProblem,
  type FramingRule,
  type RespondersBody,
  type OpenConnectionBody,
  type OpenListenerBody,
} from '../../shared';
import type { DialTarget } from './dialer';
import { badRequest } from './errors';
import { checkHost } from './host-name';
import type { ListenerSpec } from './tracked-listener';

const validators = new WeakMap<TSchema, Validator>();

/** `value` as `schema` has it, or BAD_REQUEST with the first problem; `field` is where the value sits in the body. */
export function checkSchema<T extends TSchema>(schema: T, value: unknown, field = ''): Static<T> {
  let validator = validators.get(schema);
  if (!validator) validators.set(schema, (validator = Compile(schema)));
  if (validator.Check(value)) return value as Static<T>;
  const problem = schemaProblem(schema, value, field) ?? { field, message: 'is invalid' };
  throw badRequest(problemText(problem), problem.field || undefined);
}

function ipField(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'string' || net.isIP(value) === 0)) {
    throw badRequest(`${field} must be an IPv4 or IPv6 literal`, field);
  }
}

export function checkConnectionBody(input: OpenConnectionBody): DialTarget {
  const body = checkSchema(OpenConnectionBodySchema, input);
  // Before any lookup: a malformed name never reaches the resolver (see host-name.ts for what counts as one).
  const checked = checkHost(body.host);
  if (!checked.ok) throw badRequest(checked.message, 'host');
  ipField(body.localAddress, 'localAddress');
  const target: DialTarget = {
    host: checked.host,
    port: body.port,
    timeoutMs: body.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
  if (body.localAddress !== undefined) target.localAddress = body.localAddress;
  if (body.localPort !== undefined) target.localPort = body.localPort;
  if (body.family !== undefined) target.family = body.family;
  return target;
}

export function checkListenerBody(input: OpenListenerBody): ListenerSpec {
  const body = checkSchema(OpenListenerBodySchema, input);
  const host = body.host ?? OPEN_LISTENER_DEFAULTS.host;
  ipField(host, 'host');
  return {
    host,
    port: body.port,
    backlog: body.backlog ?? OPEN_LISTENER_DEFAULTS.backlog,
    accept: body.accept ?? OPEN_LISTENER_DEFAULTS.accept,
    closeOnPeerFin: body.closeOnPeerFin ?? OPEN_LISTENER_DEFAULTS.closeOnPeerFin,
  };
}

/** A framing rule from any caller: the schema, then what it cannot say (a delimiter that decodes). */
export function checkFraming(rule: unknown, field = 'framing'): FramingRule | null {
  if (rule === null) return null;
  const checked = checkSchema(FramingRuleSchema, rule, field);
  const problem = checkFramingRule(checked);
  if (problem !== null) throw badRequest(`${field}: ${problem}`, field);
  return checked;
}

/** A responders body from any caller: the schema; regexes and payloads are checked when the set compiles. */
export const checkResponders = (body: unknown): RespondersBody => checkSchema(RespondersBodySchema, body);
