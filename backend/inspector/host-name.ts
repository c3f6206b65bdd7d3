// A target host's shape, checked before anything is resolved: a malformed name is refused at once (400) instead of
// going to the resolver, which would ask DNS and answer ENOTFOUND later, or read it as something else.
//
// The rules are RFC 1123 host names with two departures, each for names getaddrinfo really resolves:
// - '_' is allowed in a label. It is not a host-name character (RFC 952/1123), but DNS carries it (RFC 2181 §11) and
//   real targets have it: Docker Compose service names (my_db), hosts named after Windows machines, _service labels.
//   Refusing it would refuse names that connect.
// - Numbers in inet_aton's old forms (127.1, 0x7f.1, 2130706433) are accepted: getaddrinfo reads them as an IPv4
//   address without asking DNS, and numericIPv4() says which, so the target policy judges them up front. Any other name
//   whose last label is a number (1.2.3.4.5, 256.1.1.1) is neither an address nor a name (RFC 1123 §2.1: a top-level
//   label is never all digits) and is refused.
import net from 'node:net';
import { domainToASCII } from 'node:url';

export const MAX_HOST_NAME = 253;
export const MAX_LABEL = 63;

export type HostCheck = { ok: true; host: string } | { ok: false; message: string };

const NUMBER_PART = /^(?:0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i;
const LABEL_CHARS = /^[A-Za-z0-9_-]+$/;

function partValue(part: string): number | null {
  if (!NUMBER_PART.test(part)) return null;
  if (/^0x/i.test(part)) return parseInt(part.slice(2), 16);
  return part.length > 1 && part.startsWith('0') ? parseInt(part, 8) : parseInt(part, 10);
}

/**
 * The IPv4 address getaddrinfo reads a numeric name as (inet_aton: 1 to 4 parts, each decimal, 0-octal or 0x-hex,
 * the last filling the remaining bytes), or null when it is not such a form.
 */
export function numericIPv4(name: string): string | null {
  const parts = name.split('.');
  if (parts.length > 4) return null;
  const values = parts.map(partValue);
  if (values.some((v) => v === null)) return null;
  const last = values.pop()!;
  if ((values as number[]).some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return null;
  let n = 0;
  for (const v of values as number[]) n = n * 256 + v;
  n = n * 2 ** (8 * (4 - values.length)) + last;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const describeChar = (c: string): string =>
  c === ' ' ? '" " (a space)' : /\s/.test(c) ? `a ${JSON.stringify(c)} character` : JSON.stringify(c);

/** A URL, `name:port` or a bracketed non-IPv6: what the user meant, in one sentence. */
function colonProblem(host: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(host);
  if (scheme) {
    let name = '';
    try {
      name = new URL(host).hostname.replace(/^\[(.*)\]$/, '$1');
    } catch {
      // not even a URL: the plain sentence below
    }
    return `host "${host}" is a URL: give only the host${name ? ` (${name})` : ''}, and the port as port`;
  }
  if (/^[^:]+:[0-9]+$/.test(host)) return `host "${host}" has a port in it: give the port as port`;
  return `host "${host}" is not a valid IPv6 address`;
}

function labelProblem(name: string, label: string): string | null {
  if (label === '') return `host name "${name}" has an empty label: no leading dot, and no two dots in a row`;
  if (label.length > MAX_LABEL)
    return `host name label "${label.slice(0, 20)}..." is ${label.length} characters; a label has at most ${MAX_LABEL}`;
  if (!LABEL_CHARS.test(label)) {
    const bad = [...label].find((c) => !LABEL_CHARS.test(c))!;
    return `host name "${name}" contains ${describeChar(bad)}: a name is labels of letters, digits, '-' and '_', separated by dots`;
  }
  if (label.startsWith('-') || label.endsWith('-'))
    return `host name label "${label}" ${label.startsWith('-') ? 'starts' : 'ends'} with '-'`;
  return null;
}

function nameProblem(host: string): string | null {
  // One trailing dot marks a fully qualified name; it is not a label.
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length > MAX_HOST_NAME) return `host name is ${name.length} characters; a name has at most ${MAX_HOST_NAME}`;
  // eslint-disable-next-line no-control-regex -- the test is exactly "outside ASCII"
  if (/[^\x00-\x7f]/.test(name)) {
    const ascii = domainToASCII(name);
    return `host name "${name}" is not ASCII: give an internationalised name in its xn-- form${ascii ? ` (${ascii})` : ''}`;
  }
  const labels = name.split('.');
  for (const label of labels) {
    const problem = labelProblem(name, label);
    if (problem !== null) return problem;
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!) && numericIPv4(host) === null)
    return `host "${host}" is not an IPv4 address (four numbers from 0 to 255, e.g. 127.0.0.1) nor a host name (a name's last label is never a number)`;
  return null;
}

/**
 * The host to dial (trimmed, IPv6 brackets removed), or why it cannot be one. Nothing is resolved: IP literals, the
 * numeric forms getaddrinfo reads as IPv4, and well-formed names pass.
 */
export function checkHost(raw: string): HostCheck {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, message: 'host must be a host name or IP literal' };
  const bracketed = /^\[(.*)\]$/.exec(trimmed);
  if (bracketed) {
    const inner = bracketed[1]!;
    return net.isIPv6(inner)
      ? { ok: true, host: inner }
      : { ok: false, message: `host "${trimmed}": brackets hold an IPv6 address` };
  }
  if (net.isIP(trimmed) !== 0) return { ok: true, host: trimmed };
  if (trimmed.includes(':')) return { ok: false, message: colonProblem(trimmed) };
  const problem = nameProblem(trimmed);
  return problem === null ? { ok: true, host: trimmed } : { ok: false, message: problem };
}
