// Client-side checks: each turns the text of one input into a value or a message. The bounds and the words are the
// API's own (the field's schema in shared/rest.ts and shared/schema-message.ts): the form says what REST would say.
import type { TSchema } from 'typebox';
import { schemaProblem } from '../../../shared';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** A number the field's schema accepts; text that is no number reads as one outside every bound (NaN). */
function numberInput(n: number, schema: TSchema): Parsed<number> {
  const problem = schemaProblem(schema, n);
  return problem ? fail(problem.message) : ok(n);
}

/** A whole number the schema allows; empty text gives `undefined` unless required. */
export function intInput(text: string, schema: TSchema, required = false): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '') return required ? fail('Required') : ok(undefined);
  return numberInput(/^[+-]?\d+$/.test(t) ? Number(t) : NaN, schema);
}

/** A decimal number the schema allows (jitter); empty text gives `undefined`. */
export function decimalInput(text: string, schema: TSchema): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '') return ok(undefined);
  return numberInput(/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN, schema);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

/** IPv6 literal, optionally with a zone (%eth0); the URL parser knows the grammar, so we borrow it. */
export function isIpv6(s: string): boolean {
  const [address = '', zone] = s.split('%', 2);
  if (!address.includes(':') || zone === '') return false;
  try {
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}

export const isIpLiteral = (s: string): boolean => isIpv4(s) || isIpv6(s);

/** What listeners bind to: an IP literal (the API refuses names there). */
export function ipInput(text: string, schema: TSchema, required: boolean): Parsed<string | undefined> {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (t === '') return required ? fail('Required') : ok(undefined);
  const problem = schemaProblem(schema, t);
  if (problem) return fail(problem.message);
  if (!isIpLiteral(t)) return fail('Must be an IPv4 or IPv6 address, e.g. 127.0.0.1 or ::1');
  return ok(t);
}

/** What connections dial: a host name or an IP literal ([::1] is fine). */
export function hostInput(text: string, schema: TSchema): Parsed<string> {
  const t = text.trim();
  if (t === '') return fail('Required');
  const problem = schemaProblem(schema, t);
  if (problem) return fail(problem.message);
  if (/\s/.test(t)) return fail('A host name or IP address has no spaces');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return fail('Just the host, without a scheme (no http://)');
  return ok(t);
}

export type Exposure = 'loopback' | 'wildcard' | 'other';

/** How far a listener on this host is reachable: only here, on every interface, or on one interface. */
export function exposure(host: string): Exposure {
  const h = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (h === '' || h === 'localhost' || h === '::1' || /^127\./.test(h) || /^::ffff:127\./.test(h)) return 'loopback';
  if (h === '0.0.0.0' || h === '::' || /^(0+:){7}0+$/.test(h) || h === '::0' || h === '::ffff:0.0.0.0')
    return 'wildcard';
  return 'other';
}
