// The /proc/net/tcp* parser on real lines from a Linux 6.x machine (test/fixtures), IPv6 forms and malformed input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcNetTcp, type ProcTcpEntry } from '../../../backend/kernel/proc-net-tcp';
import { formatIPv6, keyAddress, parseIPv6 } from '../../../backend/kernel/ip-address';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'latin1');
const tcp = fixture('proc-net-tcp.txt');
const tcp6 = fixture('proc-net-tcp6.txt');

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
/** A real ESTABLISHED line (Send-Q 3 MB, zero-window probe timer) to mutate. */
const GOOD =
  '  55: 0100007F:E0EA 0100007F:95CF 01 002E0C1B:00000000 04:0000000C 00000000     0        0 208712 2 00000000d9441217 20 0 0 15 -1';

const byPorts = (entries: ProcTcpEntry[], local: number, remote: number) =>
  entries.find((e) => e.localPort === local && e.remotePort === remote);

describe('parseProcNetTcp: /proc/net/tcp', () => {
  const table = parseProcNetTcp(tcp, 'tcp');
  const entries = table.entries();

  it('reads every data line of the fixture, skips the header, counts nothing as malformed', () => {
    expect(table.size).toBe(10);
    expect(table.malformed).toBe(0);
    expect(entries.every((e) => e.proto === 'tcp')).toBe(true);
  });

  it('LISTEN: little-endian IPv4, big-endian port, accept queue in rx_queue, inode', () => {
    expect(byPorts(entries, 38351, 0)).toEqual({
      proto: 'tcp',
      state: 'LISTEN',
      localAddress: '127.0.0.1',
      localPort: 38351,
      remoteAddress: '0.0.0.0',
      remotePort: 0,
      txQueue: 0,
      rxQueue: 0,
      timerActive: 0,
      timerTicks: 0,
      retransmits: 0,
      uid: 0,
      probes: 0,
      inode: 208711,
    });
    expect(byPorts(entries, 2024, 0)).toMatchObject({ state: 'LISTEN', localAddress: '0.0.0.0', inode: 1161 });
  });

  it('ESTABLISHED with bytes unread (Recv-Q) on one end and unacknowledged (Send-Q) on the other', () => {
    expect(byPorts(entries, 38351, 57578)).toMatchObject({ state: 'ESTABLISHED', rxQueue: 127973, txQueue: 0 });
    expect(byPorts(entries, 57578, 38351)).toMatchObject({
      state: 'ESTABLISHED',
      txQueue: 3017755,
      rxQueue: 0,
      timerActive: 4, // zero-window probe: the receiver's window is shut
      timerTicks: 12,
      inode: 208712,
    });
  });

  it('FIN_WAIT2 and CLOSE_WAIT after a shutdown; the FIN counts as one byte in CLOSE_WAIT Recv-Q', () => {
    expect(byPorts(entries, 46122, 43441)).toMatchObject({ state: 'FIN_WAIT2', inode: 209125 });
    expect(byPorts(entries, 43441, 46122)).toMatchObject({ state: 'CLOSE_WAIT', rxQueue: 1, inode: 209126 });
  });

  it('TIME_WAIT: no inode (no process holds it), TIME_WAIT timer with ticks left', () => {
    expect(byPorts(entries, 37123, 48644)).toMatchObject({
      state: 'TIME_WAIT',
      inode: 0,
      uid: 0,
      timerActive: 3,
      timerTicks: 0x95a,
    });
  });

  it('appends to a given table and tolerates CRLF line ends', () => {
    const t = parseProcNetTcp(tcp.replace(/\n/g, '\r\n'), 'tcp');
    parseProcNetTcp(tcp6, 'tcp6', t);
    expect(t.size).toBe(10 + 8);
    expect(t.malformed).toBe(0);
  });
});

describe('parseProcNetTcp: /proc/net/tcp6', () => {
  const entries = parseProcNetTcp(tcp6, 'tcp6').entries();

  it('IPv6 as four little-endian words, printed canonically: ::1, the wildcard ::', () => {
    expect(entries).toHaveLength(8);
    expect(byPorts(entries, 34229, 0)).toMatchObject({
      proto: 'tcp6',
      state: 'LISTEN',
      localAddress: '::1',
      remoteAddress: '::',
    });
    expect(byPorts(entries, 44327, 0)).toMatchObject({ state: 'LISTEN', localAddress: '::' });
    expect(byPorts(entries, 34229, 57370)).toMatchObject({ state: 'ESTABLISHED', rxQueue: 8, localAddress: '::1' });
  });

  it('a dual-stack socket talking IPv4 is listed with v4-mapped addresses', () => {
    expect(byPorts(entries, 44327, 58994)).toMatchObject({
      state: 'ESTABLISHED',
      localAddress: '::ffff:127.0.0.1',
      remoteAddress: '::ffff:127.0.0.1',
      inode: 209123,
    });
  });

  it('global and link-local addresses, compressed per RFC 5952', () => {
    // 2001:db8::1 and fe80::1:2 (words as the kernel prints them on a little-endian machine)
    const line =
      '   0: B80D0120000000000000000001000000:0050 000080FE000000000000000002000100:C350 01 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 20 4 0 10 -1\n';
    const [e] = parseProcNetTcp(line, 'tcp6').entries();
    expect(e).toMatchObject({
      localAddress: '2001:db8::1',
      localPort: 80,
      remoteAddress: 'fe80::1:2',
      remotePort: 50000,
      uid: 1000,
    });
  });
});

describe('parseProcNetTcp: malformed input is counted, never thrown', () => {
  const cases: Array<[string, string]> = [
    ['a truncated line', GOOD.slice(0, 60)],
    ['a non-hex address', GOOD.replace('0100007F:E0EA', '0100007G:E0EA')],
    ['a short address', GOOD.replace('0100007F:E0EA', '100007F:E0EA')],
    ['an IPv6 address in tcp', GOOD.replace('0100007F:E0EA', '00000000000000000000000001000000:E0EA')],
    ['a port of five digits', GOOD.replace(':E0EA', ':E0EA0')],
    ['state 00', GOOD.replace(' 01 002E', ' 00 002E')],
    ['state 0D (unknown)', GOOD.replace(' 01 002E', ' 0D 002E')],
    ['queues without a colon', GOOD.replace('002E0C1B:00000000', '002E0C1B-00000000')],
    ['a non-decimal uid', GOOD.replace('     0        0 208712', '     x        0 208712')],
    ['a missing inode', GOOD.replace(/ 208712.*$/, '')],
    ['garbage', 'hello world'],
  ];

  it.each(cases)('%s', (_, line) => {
    const t = parseProcNetTcp(`${HEADER}${GOOD}\n${line}\n${GOOD}\n`, 'tcp');
    expect(t.malformed).toBe(1);
    expect(t.size).toBe(2);
  });

  it('an empty file, a header alone and blank lines are no rows and not malformed', () => {
    for (const text of ['', HEADER, `${HEADER}\n\n   \n`]) {
      const t = parseProcNetTcp(text, 'tcp');
      expect([t.size, t.malformed]).toEqual([0, 0]);
    }
  });

  it('an expired timer printed as a negative 64-bit number reads as 0 ticks', () => {
    const t = parseProcNetTcp(GOOD.replace('04:0000000C', '01:FFFFFFFFFFFFFFFE'), 'tcp');
    expect(t.entries()[0]).toMatchObject({ timerActive: 1, timerTicks: 0 });
  });

  it('the last line needs no newline; fields after the inode may be missing', () => {
    const t = parseProcNetTcp(GOOD.replace(/ 208712 .*$/, ' 208712'), 'tcp');
    expect(t.entries()).toEqual([expect.objectContaining({ inode: 208712, txQueue: 0x2e0c1b })]);
  });
});

describe('IPv6 text', () => {
  const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));

  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'], // the longer run wins
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // equal runs: the first
    ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'], // a single zero group is not compressed
    ['20010db8000000010001000100010000', '2001:db8:0:1:1:1:1:0'],
    ['fe800000000000000000000000000001', 'fe80::1'],
    ['00000000000000000000ffff7f000001', '::ffff:127.0.0.1'],
  ])('%s -> %s, and back', (hex, text) => {
    expect(formatIPv6(bytes(hex))).toBe(text);
    expect(parseIPv6(text)).toEqual(bytes(hex));
  });

  it('one matching key for the forms Node and the kernel print', () => {
    expect(keyAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(keyAddress('::FFFF:7f00:1')).toBe('127.0.0.1');
    expect(keyAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(keyAddress('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(keyAddress('fe80::1%eth0')).toBe('fe80::1');
    expect(keyAddress('::')).toBe('::');
  });
});
