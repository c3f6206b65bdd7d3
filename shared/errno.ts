// The errno table: what each error means for someone debugging socket code, and what to do about it.
// HELPER C FILLS THIS IN (at least the codes listed in REQUIRED_CODES).
import type { Explanation } from './fault';

export interface ErrnoInfo {
  code: string;
  /** Linux errno number; null for getaddrinfo (EAI_*) codes and Node-only codes. */
  errno: number | null;
  title: string;
  cause: string;
  fix: string;
}

export const REQUIRED_CODES = [
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES', 'ENOTFOUND',
  'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ENOTCONN', 'EISCONN', 'EAGAIN',
] as const;

export const ERRNO_TABLE: Readonly<Record<string, ErrnoInfo>> = {};

export function errnoInfo(code: string): ErrnoInfo | null {
  return Object.hasOwn(ERRNO_TABLE, code) ? ERRNO_TABLE[code]! : null;
}

export function explain(code: string): Explanation | null {
  const info = errnoInfo(code);
  return info ? { title: info.title, cause: info.cause, fix: info.fix } : null;
}
