// Host names and addresses: which are loopback, and how each is written in a URL or a Host header.
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1, IPv4-mapped loopback and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** IPv6 literals go in brackets in URLs and Host headers. */
export const hostForUrl = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host);
