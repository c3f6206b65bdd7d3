// Parser of /proc/net/tcp and /proc/net/tcp6: one pass, indexOf/charCodeAt, no regex; malformed lines are counted.
import os from 'node:os';
import { TCP_STATES } from '../../shared';
import { formatIPv6 } from './ip-address';
import { ProcTcpTable, type TcpProto } from './proc-tcp-table';

export { ProcTcpTable, type ProcTcpEntry, type TcpProto } from './proc-tcp-table';

const SPACE = 32;
const COLON = 58;
const LITTLE_ENDIAN = os.endianness() === 'LE';

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Hex digits s[a..b) (1 to maxDigits of them) as a number, or -1. */
function hexRange(s: string, a: number, b: number, maxDigits: number): number {
  if (b <= a || b - a > maxDigits) return -1;
  let v = 0;
  for (let i = a; i < b; i++) {
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Decimal digits s[a..b) as a number, or -1. */
function decRange(s: string, a: number, b: number): number {
  if (b <= a || b - a > 20) return -1;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** `%02X:%08lX` of a long: an expired timer prints as a negative number (16 digits on 64-bit), i.e. due now. */
function timerRange(s: string, a: number, b: number): number {
  const v = hexRange(s, a, b, 16);
  return v >= 0 && b - a === 16 && hexDigit(s.charCodeAt(a)) >= 8 ? 0 : v;
}

function hexByte(s: string, i: number): number {
  const hi = hexDigit(s.charCodeAt(i));
  const lo = hexDigit(s.charCodeAt(i + 1));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/** Byte k (network order) of the 32-bit word printed at i: the kernel prints the raw word in host byte order. */
const wordByte = (s: string, i: number, k: number): number => hexByte(s, LITTLE_ENDIAN ? i + (3 - k) * 2 : i + k * 2);

// Hosts with many sockets repeat few addresses: formatted strings are cached (bounded) instead of rebuilt per line.
const v4Cache = new Map<number, string>();
const V4_CACHE_MAX = 8192;

function ipv4At(s: string, i: number): string | null {
  const a = wordByte(s, i, 0);
  const b = wordByte(s, i, 1);
  const c = wordByte(s, i, 2);
  const d = wordByte(s, i, 3);
  if ((a | b | c | d) < 0) return null;
  const key = (a << 24) | (b << 16) | (c << 8) | d; // an int32: a small-integer Map key, no allocation
  let text = v4Cache.get(key);
  if (text === undefined) {
    if (v4Cache.size >= V4_CACHE_MAX) v4Cache.clear();
    text = `${a}.${b}.${c}.${d}`;
    v4Cache.set(key, text);
  }
  return text;
}

const v6Bytes = new Uint8Array(16);
const v6Words = new Uint32Array(v6Bytes.buffer);
const V6_SLOTS = 4096;
const v6CacheWords = new Uint32Array(V6_SLOTS * 4);
const v6CacheText: (string | undefined)[] = new Array<string | undefined>(V6_SLOTS);

function ipv6At(s: string, i: number): string | null {
  for (let w = 0; w < 4; w++) {
    for (let k = 0; k < 4; k++) {
      const b = wordByte(s, i + w * 8, k);
      if (b < 0) return null;
      v6Bytes[w * 4 + k] = b;
    }
  }
  const w0 = v6Words[0]!;
  const w1 = v6Words[1]!;
  const w2 = v6Words[2]!;
  const w3 = v6Words[3]!;
  const slot = (w0 ^ w1 ^ w2 ^ w3 ^ (w3 >>> 16)) & (V6_SLOTS - 1);
  const cached = v6CacheText[slot];
  const at = slot * 4;
  if (
    cached !== undefined &&
    v6CacheWords[at] === w0 &&
    v6CacheWords[at + 1] === w1 &&
    v6CacheWords[at + 2] === w2 &&
    v6CacheWords[at + 3] === w3
  )
    return cached;
  const text = formatIPv6(v6Bytes);
  v6CacheWords.set(v6Words, at);
  v6CacheText[slot] = text;
  return text;
}

/** The address printed at a (8 or 32 hex digits, then a colon), or null. */
function addressOf(s: string, a: number, v6: boolean): string | null {
  if (s.charCodeAt(a + (v6 ? 32 : 8)) !== COLON) return null;
  return v6 ? ipv6At(s, a) : ipv4At(s, a);
}

const skipSpaces = (s: string, p: number, end: number): number => {
  while (p < end && s.charCodeAt(p) === SPACE) p++;
  return p;
};
const toSpace = (s: string, p: number, end: number): number => {
  while (p < end && s.charCodeAt(p) !== SPACE) p++;
  return p;
};

/**
 * One data line s[start..end), appended to the table; false when malformed. The kernel prints it with
 * "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu ...": fixed widths up to the timer, which
 * are checked (separators included) rather than searched for; the rest is split on spaces. Fields after the inode
 * (refcount, pointer, rto...) are ignored.
 */
function parseLine(s: string, start: number, end: number, v6: boolean, t: ProcTcpTable): boolean {
  let p = skipSpaces(s, start, end);
  let q = toSpace(s, p, end);
  if (q - p < 2 || s.charCodeAt(q - 1) !== COLON || decRange(s, p, q - 1) < 0) return false;
  const addr = v6 ? 32 : 8;
  p = skipSpaces(s, q, end);
  // local ADDR:PORT, remote ADDR:PORT, st, tx:rx, each followed by one space
  if (p + 2 * (addr + 6) + 3 + 18 > end) return false;
  const localAddress = addressOf(s, p, v6);
  const localPort = hexRange(s, p + addr + 1, p + addr + 5, 4);
  p += addr + 5;
  if (s.charCodeAt(p) !== SPACE) return false;
  const remoteAddress = addressOf(s, p + 1, v6);
  const remotePort = hexRange(s, p + addr + 2, p + addr + 6, 4);
  p += addr + 6;
  if (localAddress === null || remoteAddress === null || localPort < 0 || remotePort < 0) return false;
  if (s.charCodeAt(p) !== SPACE || s.charCodeAt(p + 3) !== SPACE) return false;
  const st = hexRange(s, p + 1, p + 3, 2);
  if (st < 1 || st > TCP_STATES.length) return false;
  p += 4;
  if (s.charCodeAt(p + 8) !== COLON || s.charCodeAt(p + 17) !== SPACE) return false;
  const txQueue = hexRange(s, p, p + 8, 8);
  const rxQueue = hexRange(s, p + 9, p + 17, 8);
  p = skipSpaces(s, p + 17, end);
  if (s.charCodeAt(p + 2) !== COLON) return false;
  const timerActive = hexRange(s, p, p + 2, 2);
  q = toSpace(s, p + 3, end);
  const timerTicks = timerRange(s, p + 3, q);
  p = skipSpaces(s, q, end);
  q = toSpace(s, p, end);
  const retransmits = hexRange(s, p, q, 8);
  p = skipSpaces(s, q, end);
  q = toSpace(s, p, end);
  const uid = decRange(s, p, q);
  p = skipSpaces(s, q, end);
  q = toSpace(s, p, end);
  const probes = decRange(s, p, q);
  p = skipSpaces(s, q, end);
  const inode = decRange(s, p, toSpace(s, p, end));
  if (txQueue < 0 || rxQueue < 0 || timerActive < 0 || timerTicks < 0 || retransmits < 0) return false;
  if (uid < 0 || uid > 0xffffffff || probes < 0 || probes > 0xffffffff || inode < 0) return false;
  const i = t.size++;
  t.v6[i] = v6 ? 1 : 0;
  t.stateCode[i] = st;
  t.localAddress[i] = localAddress;
  t.localPort[i] = localPort;
  t.remoteAddress[i] = remoteAddress;
  t.remotePort[i] = remotePort;
  t.txQueue[i] = txQueue;
  t.rxQueue[i] = rxQueue;
  t.timerActive[i] = timerActive;
  t.timerTicks[i] = timerTicks;
  t.retransmits[i] = retransmits;
  t.uid[i] = uid;
  t.probes[i] = probes;
  t.inode[i] = inode;
  return true;
}

/** True for the column header ("  sl  local_address ...") and blank lines: neither is data nor malformed. */
function isHeaderOrBlank(s: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && s.charCodeAt(i) === SPACE) i++;
  return i === end || s.startsWith('sl', i);
}

/** Rough bytes per line, to size the table before parsing (tcp6 lines are longer; overestimating is harmless). */
const BYTES_PER_LINE = 120;

/** Parses the whole text of /proc/net/tcp (proto 'tcp') or /proc/net/tcp6 ('tcp6'), appending to `into`. */
export function parseProcNetTcp(source: string, proto: TcpProto, into = new ProcTcpTable()): ProcTcpTable {
  const v6 = proto === 'tcp6';
  into.reserve(Math.ceil(source.length / BYTES_PER_LINE) + 1);
  let start = 0;
  while (start < source.length) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    const next = end + 1;
    if (end > start && source.charCodeAt(end - 1) === 13) end--; // tolerate CRLF fixtures
    if (!isHeaderOrBlank(source, start, end)) {
      into.reserve(1);
      if (!parseLine(source, start, end, v6, into)) into.malformed++;
    }
    start = next;
  }
  return into;
}
