// Which addresses connections may target. sockscope dials wherever it is told, so by default it refuses the addresses
// where a machine's secrets answer: link-local ranges and the cloud metadata endpoints (instance credentials).
//
// Precedence, first match wins:
//   1. a user deny rule (--deny-target CIDR) always wins;
//   2. a user allow rule (--allow-target CIDR) overrides the default deny list for its range;
//   3. the default deny list (DEFAULT_DENY below);
//   4. any other address is allowed.
// A rule sees an address in every form it takes: ::ffff:169.254.169.254 (IPv4-mapped) and 64:ff9b::a9fe:a9fe (NAT64)
// are also 169.254.169.254 to IPv4 rules. A host name is judged by every address it resolves to, inside the connect
// (the lookup), so a name that resolves to a denied address is refused too, even when it has other addresses.
import dns from 'node:dns';
import net from 'node:net';
import type { TargetRule } from '../../shared';
import { formatIPv6, parseIPv6 } from '../kernel/ip-address';
import { targetDenied } from './errors';
import { numericIPv4 } from './host-name';

export interface TargetRules {
  allow?: string[];
  deny?: string[];
}

interface Cidr {
  family: 4 | 6;
  base: bigint;
  bits: number;
  /** Canonical text, e.g. 169.254.0.0/16, fe80::/10. */
  text: string;
}

interface Rule {
  action: 'allow' | 'deny';
  source: 'default' | 'user';
  note: string | null;
  range: Cidr;
}

/** Each range with what lives there: the note is part of every refusal it causes. */
const DEFAULT_DENY: ReadonlyArray<readonly [string, string]> = [
  ['169.254.0.0/16', 'link-local and cloud metadata'], // 169.254.169.254: AWS, GCP, Azure, OCI, OpenStack, DO...
  ['fe80::/10', 'IPv6 link-local'],
  ['fd00:ec2::254/128', 'AWS instance metadata over IPv6'],
  ['fd20:ce::254/128', 'Google Cloud metadata over IPv6'],
  ['fd00:c1::a9fe:a9fe/128', 'Oracle Cloud metadata over IPv6'],
  ['100.100.100.200/32', 'Alibaba Cloud metadata'],
  ['192.0.0.192/32', 'Oracle Cloud Classic metadata'],
  ['168.63.129.16/32', 'Azure platform endpoint (WireServer)'],
];

const WIDTH = { 4: 32, 6: 128 } as const;
const MAPPED = 0xffffn; // ::ffff:0:0/96
const NAT64 = 0x64ff9b0000000000000000n; // 64:ff9b::/96

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** An IP literal (zone id ignored) as family and number; null when it is not one. */
function parseAddress(text: string): { family: 4 | 6; value: bigint } | null {
  const bare = text.replace(/%.*$/, '');
  if (net.isIPv4(bare)) return { family: 4, value: toBigInt(Uint8Array.from(bare.split('.').map(Number))) };
  const bytes = net.isIPv6(bare) ? parseIPv6(bare) : null;
  return bytes ? { family: 6, value: toBigInt(bytes) } : null;
}

function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => Number((value >> s) & 255n)).join('.');
  const bytes = new Uint8Array(16);
  for (let i = 15, v = value; i >= 0; i--, v >>= 8n) bytes[i] = Number(v & 255n);
  return formatIPv6(bytes);
}

const mask = (family: 4 | 6, bits: number): bigint =>
  ((1n << BigInt(WIDTH[family])) - 1n) ^ ((1n << BigInt(WIDTH[family] - bits)) - 1n);

/** `169.254.0.0/16`, `fe80::/10` or a bare address (a /32 or /128); throws an Error saying what is wrong. */
export function parseCidr(rule: string): Cidr {
  const text = rule.trim();
  const fail = (why: string) => new Error(`target rule "${rule}": ${why}`);
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  if (addressText.includes('%')) throw fail('a zone id (%...) has no place in a rule');
  const address = parseAddress(addressText);
  if (address === null) throw fail('not an IP address or CIDR range (e.g. 169.254.0.0/16, fe80::/10, 10.0.0.5)');
  const width = WIDTH[address.family];
  const prefix = slash < 0 ? String(width) : text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > width)
    throw fail(`the prefix length must be a number from 0 to ${width} for IPv${address.family}`);
  const bits = Number(prefix);
  const base = address.value & mask(address.family, bits);
  const canonical = `${formatAddress(address.family, base)}/${bits}`;
  if (base !== address.value)
    throw fail(`it has address bits set past its /${bits} prefix: did you mean ${canonical}?`);
  return { family: address.family, base, bits, text: canonical };
}

/** The rule texts, canonical (`FE80::/10` -> `fe80::/10`, `10.0.0.5` -> `10.0.0.5/32`); throws on a malformed one. */
export const parseTargetRule = (rule: string): string => parseCidr(rule).text;

/** The address itself, plus the IPv4 address an IPv4-mapped or NAT64 IPv6 address carries. */
function formsOf(address: string): Array<{ family: 4 | 6; value: bigint }> {
  const parsed = parseAddress(address);
  if (parsed === null) return [];
  const forms = [parsed];
  const top = parsed.value >> 32n;
  if (parsed.family === 6 && (top === MAPPED || top === NAT64))
    forms.push({ family: 4, value: parsed.value & 0xffffffffn });
  return forms;
}

const contains = (range: Cidr, form: { family: 4 | 6; value: bigint }): boolean =>
  range.family === form.family && (form.value & mask(range.family, range.bits)) === range.base;

function why(rule: Rule): string {
  const cidr = rule.range.text;
  if (rule.source === 'user') return `denied by --deny-target ${cidr}`;
  return `${rule.note}, denied by default; --allow-target ${cidr} allows it`;
}

function deniedError(message: string, address: string, port: number): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: 'TARGET_DENIED', syscall: 'connect', address, port });
}

export class TargetPolicy {
  private readonly ordered: Rule[];

  /** Throws an Error naming the rule when one is malformed. */
  constructor(user: TargetRules = {}) {
    const userRules = (action: 'allow' | 'deny', list: string[] = []): Rule[] =>
      list.map((r) => ({ action, source: 'user', note: null, range: parseCidr(r) }));
    this.ordered = [
      ...userRules('deny', user.deny),
      ...userRules('allow', user.allow),
      ...DEFAULT_DENY.map(([cidr, note]): Rule => ({
        action: 'deny',
        source: 'default',
        note,
        range: parseCidr(cidr),
      })),
    ];
  }

  /** The rules in the order they apply, for GET /api/info. */
  get rules(): TargetRule[] {
    return this.ordered.map(({ action, source, note, range }) => ({ action, cidr: range.text, source, note }));
  }

  /**
   * Why `address` is refused, or null when it is allowed. `subject` is the name it came from (resolved or numeric);
   * the sentence says how that name, the address and the rule meet.
   */
  refusal(address: string, subject: { name: string; resolved: boolean } | null = null): string | null {
    const forms = formsOf(address);
    for (const rule of this.ordered) {
      const form = forms.find((f) => contains(rule.range, f));
      if (form === undefined) continue;
      if (rule.action === 'allow') return null;
      const shown = formatAddress(form.family, form.value);
      const seen = form === forms[0] ? address : `${address} (${shown})`;
      const where = `in ${rule.range.text} (${why(rule)})`;
      if (subject?.resolved) return `${subject.name} resolves to ${seen}, which is ${where}`;
      if (subject) return `${subject.name} is ${shown}, which is ${where}`;
      return form === forms[0] ? `${address} is ${where}` : `${address} is ${shown}, which is ${where}`;
    }
    return null;
  }

  /** Throws TARGET_DENIED (403) when the host is an address, literal or numeric (127.1), that the rules refuse. */
  assertAllowed(host: string): void {
    if (net.isIP(host) !== 0) {
      const refused = this.refusal(host);
      if (refused !== null) throw targetDenied(refused);
      return;
    }
    const numeric = numericIPv4(host);
    const refused = numeric === null ? null : this.refusal(numeric, { name: host, resolved: false });
    if (refused !== null) throw targetDenied(refused);
  }

  /**
   * For host names: a lookup (around `inner`, default dns.lookup) that fails the attempt with TARGET_DENIED when any
   * address the name resolves to is refused. Literals need none: assertAllowed judged them before anything opened.
   */
  lookupFor(host: string, port: number, inner?: net.LookupFunction): net.LookupFunction | undefined {
    if (net.isIP(host) !== 0) return undefined;
    const resolve: net.LookupFunction = inner ?? ((name, options, callback) => dns.lookup(name, options, callback));
    return (hostname, options, callback) => {
      resolve(hostname, options, (err, address, family) => {
        if (err) return callback(err, address, family);
        const all = Array.isArray(address) ? address.map((a) => a.address) : [address];
        for (const a of all) {
          const refused = this.refusal(a, { name: hostname, resolved: true });
          if (refused !== null) return callback(deniedError(refused, a, port), address, family);
        }
        callback(null, address, family);
      });
    };
  }
}
