// Checks for callers that bypass the HTTP schemas (scripts, tests): bad input throws BAD_REQUEST and changes nothing.
import net from 'node:net';
import { Compile } from 'typebox/compile';
import {
  checkFramingRule,
  FramingRuleSchema,
  RespondersBodySchema,
  type FramingRule,
  type RespondersBody,
  type OpenConnectionBody,
  type OpenListenerBody,
} from '../../shared';
import type { DialTarget } from './dialer';
import { badRequest } from './errors';
import { checkHost } from './host-name';
import type { ListenerSpec } from './tracked-listener';

const isInt = (x: unknown, min: number, max: number): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;

function intField(value: unknown, field: string, min: number, max: number): void {
  if (value !== undefined && !isInt(value, min, max))
    throw badRequest(`${field} must be an integer from ${min} to ${max}`, field);
}

function ipField(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'string' || net.isIP(value) === 0)) {
    throw badRequest(`${field} must be an IPv4 or IPv6 literal`, field);
  }
}

export function checkConnectionBody(body: OpenConnectionBody): DialTarget {
  // Before any lookup: a malformed name never reaches the resolver (see host-name.ts for what counts as one).
  const checked = typeof body.host === 'string' ? checkHost(body.host) : null;
  if (checked === null || !checked.ok)
    throw badRequest(checked?.message ?? 'host must be a host name or IP literal', 'host');
  const host = checked.host;
  intField(body.port, 'port', 1, 65535);
  if (body.port === undefined) throw badRequest('port is required', 'port');
  intField(body.timeoutMs, 'timeoutMs', 1, 600000);
  ipField(body.localAddress, 'localAddress');
  intField(body.localPort, 'localPort', 0, 65535);
  if (body.family !== undefined && body.family !== 0 && body.family !== 4 && body.family !== 6) {
    throw badRequest('family must be 0, 4 or 6', 'family');
  }
  intField(body.retry?.attempts, 'retry.attempts', 1, 100);
  intField(body.retry?.initialDelayMs, 'retry.initialDelayMs', 0, 600000);
  intField(body.retry?.maxDelayMs, 'retry.maxDelayMs', 0, 600000);
  const target: DialTarget = { host, port: body.port, timeoutMs: body.timeoutMs ?? 10000 };
  if (body.localAddress !== undefined) target.localAddress = body.localAddress;
  if (body.localPort !== undefined) target.localPort = body.localPort;
  if (body.family !== undefined) target.family = body.family;
  return target;
}

export function checkListenerBody(body: OpenListenerBody): ListenerSpec {
  const host = body.host ?? '127.0.0.1';
  ipField(host, 'host');
  intField(body.port, 'port', 0, 65535);
  if (body.port === undefined) throw badRequest('port is required', 'port');
  intField(body.backlog, 'backlog', 1, 65535);
  const accept = body.accept ?? 'read';
  if (accept !== 'read' && accept !== 'hold' && accept !== 'echo' && accept !== 'never')
    throw badRequest('accept must be read, hold, echo or never', 'accept');
  if (body.closeOnPeerFin !== undefined && typeof body.closeOnPeerFin !== 'boolean')
    throw badRequest('closeOnPeerFin must be true or false', 'closeOnPeerFin');
  return { host, port: body.port, backlog: body.backlog ?? 511, accept, closeOnPeerFin: body.closeOnPeerFin ?? false };
}

const framingRule = Compile(FramingRuleSchema);

/** A framing rule from any caller: the schema, then what it cannot say (a delimiter that decodes). */
export function checkFraming(rule: unknown, field = 'framing'): FramingRule | null {
  if (rule === null) return null;
  if (!framingRule.Check(rule)) {
    const first = [...framingRule.Errors(rule)][0];
    throw badRequest(
      `${field}: not a framing rule${first ? ` (${first.instancePath || '/'} ${first.message})` : ''}`,
      field,
    );
  }
  const problem = checkFramingRule(rule);
  if (problem !== null) throw badRequest(`${field}: ${problem}`, field);
  return rule;
}

const respondersBody = Compile(RespondersBodySchema);

/** A responders body from any caller: the schema; regexes and payloads are checked when the set compiles. */
export function checkResponders(body: unknown): RespondersBody {
  if (!respondersBody.Check(body)) {
    const first = [...respondersBody.Errors(body)][0];
    throw badRequest(`not a responders body${first ? ` (${first.instancePath || '/'} ${first.message})` : ''}`);
  }
  return body;
}
