// IP addresses as the kernel table and Node print them: canonical IPv6 text (RFC 5952) and one matching key for both.
import net from 'node:net';

const isMapped = (b: Uint8Array): boolean => {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
};

/** RFC 5952: lower case, no leading zeros, the longest run (2+) of zero groups as `::`; v4-mapped as ::ffff:a.b.c.d. */
export function formatIPv6(b: Uint8Array): string {
  if (isMapped(b)) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    if (b[2 * g] !== 0 || b[2 * g + 1] !== 0) runStart = -1;
    else {
      if (runStart < 0) runStart = g;
      if (g - runStart + 1 > bestLen) {
        bestLen = g - runStart + 1;
        bestStart = runStart;
      }
    }
  }
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      out += '::';
      g += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += ((b[2 * g]! << 8) | b[2 * g + 1]!).toString(16);
  }
  return out;
}

/** IPv6 text (any valid form, dotted tail allowed) to 16 bytes; null when it is not IPv6. */
export function parseIPv6(text: string): Uint8Array | null {
  if (net.isIPv6(text) === false) return null;
  let s = text;
  const bytes = new Uint8Array(16);
  let tail: number[] = [];
  const dot = s.lastIndexOf(':');
  if (s.includes('.', dot)) {
    tail = s
      .slice(dot + 1)
      .split('.')
      .map(Number);
    s = s.slice(0, dot + 1) + '0:0'; // two placeholder groups, overwritten below
  }
  const [left = '', right] = s.split('::');
  const l = left === '' ? [] : left.split(':');
  const r = right === undefined ? [] : right === '' ? [] : right.split(':');
  const groups = [...l, ...new Array<string>(8 - l.length - r.length).fill('0'), ...r];
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    bytes[2 * i] = v >> 8;
    bytes[2 * i + 1] = v & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

/**
 * The address part of a matching key: IPv4 as is, IPv6 canonical, v4-mapped IPv6 as plain IPv4 (a dual-stack socket
 * talking IPv4 is listed in tcp6 as ::ffff:a.b.c.d while Node may report either), zone ids dropped.
 */
export function keyAddress(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  if (net.isIPv4(bare)) return bare;
  if (bare.startsWith('::ffff:') && net.isIPv4(bare.slice(7))) return bare.slice(7);
  const bytes = parseIPv6(bare);
  if (!bytes) return bare;
  return isMapped(bytes) ? `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}` : formatIPv6(bytes);
}
