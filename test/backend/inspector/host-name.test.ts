// Target host shapes: what is refused before any lookup, what passes, and the numeric forms getaddrinfo reads as IPv4
// (checked against the real resolver, which parses them itself without asking DNS).
import dns from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { checkHost, numericIPv4 } from '../../../backend/inspector/host-name';
import { assertLogValid } from '../../helpers/loopback';
import { useInspectors } from '../../helpers/inspector-fixture';

const refused = (host: string): string => {
  const r = checkHost(host);
  if (r.ok) throw new Error(`${JSON.stringify(host)} was accepted as ${r.host}`);
  return r.message;
};

describe('checkHost', () => {
  it.each([
    ['exa mple.com', 'contains " " (a space)'],
    ['a..b', 'has an empty label'],
    ['.example.com', 'has an empty label'],
    ['example..', 'has an empty label'],
    [`${'a'.repeat(64)}.com`, 'is 64 characters; a label has at most 63'],
    [`${'abcdefghi.'.repeat(25)}abcd`, 'host name is 254 characters; a name has at most 253'],
    ['http://x', 'is a URL: give only the host (x), and the port as port'],
    ['https://example.com:8443/path', 'is a URL: give only the host (example.com)'],
    ['example.com:80', 'has a port in it: give the port as port'],
    ['fe80::zz', 'is not a valid IPv6 address'],
    ['[example.com]', 'brackets hold an IPv6 address'],
    ['-example.com', `label "-example" starts with '-'`],
    ['example-.com', `label "example-" ends with '-'`],
    ['exa\tmple.com', 'contains a "\\t" character'],
    ['a/b', 'contains "/"'],
    ['bücher.example', 'is not ASCII: give an internationalised name in its xn-- form (xn--bcher-kva.example)'],
    ['1.2.3.4.5', 'is not an IPv4 address'],
    ['256.1.1.1', 'is not an IPv4 address (four numbers from 0 to 255'],
    ['09.1', 'is not an IPv4 address'],
    ['127.0.0.1.', 'is not an IPv4 address'],
    ['   ', 'host must be a host name or IP literal'],
  ])('refuses %j: %s', (host, why) => {
    expect(refused(host)).toContain(why);
  });

  it.each([
    ['localhost', 'localhost'],
    ['  example.com  ', 'example.com'],
    ['example.com.', 'example.com.'],
    ['my_db', 'my_db'], // Docker Compose service names; DNS carries '_' (RFC 2181)
    ['_sip._tcp.example.com', '_sip._tcp.example.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['3com.example', '3com.example'],
    ['a'.repeat(63), 'a'.repeat(63)],
    [`${'abcdefghi.'.repeat(25)}abc`, `${'abcdefghi.'.repeat(25)}abc`],
    [`${'abcdefghi.'.repeat(25)}abc.`, `${'abcdefghi.'.repeat(25)}abc.`],
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['127.1', '127.1'],
    ['2130706433', '2130706433'],
  ])('accepts %j as %j', (host, as) => {
    expect(checkHost(host)).toEqual({ ok: true, host: as });
  });
});

describe('numericIPv4', () => {
  // getaddrinfo parses these itself (inet_aton): no DNS query, the same answer on every glibc machine.
  const forms = [
    '127.1',
    '1.2.3',
    '0x7f.1',
    '0x7f.0.0.0x1',
    '0177.0.0.1',
    '00000000000177.1',
    '2130706433',
    '4294967295',
    '0xffffffff',
    '1.16777215',
    '0',
    '2852039166',
    '0xA9.0xFE.0xA9.0xFE',
  ];
  it.each(forms)('%s is what getaddrinfo makes of it', async (form) => {
    const { address } = await dns.lookup(form, { family: 4 });
    expect(numericIPv4(form)).toBe(address);
  });

  it.each(['4294967296', '1.16777216', '256.1.1.1', '1.256.1.1', '0x.1', '09.1', '1.2.3.4.5', '127.0.0.1.', '1e3', ''])(
    '%j is not one',
    (text) => {
      expect(numericIPv4(text)).toBeNull();
    },
  );
});

describe('the inspector', () => {
  const { make } = useInspectors();

  it('refuses a malformed host with BAD_REQUEST on the host field, before any lookup: no row, no event', () => {
    const inspector = make();
    for (const host of ['exa mple.com', 'a..b', `${'x'.repeat(64)}.localhost`, 'http://localhost', 'localhost:80']) {
      expect(() => inspector.openConnection({ host, port: 80 }), host).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST', statusCode: 400, extra: { field: 'host' } }),
      );
    }
    expect(inspector.sockets().connections).toEqual([]);
    expect(inspector.events({}).lastSeq).toBe(0);
    assertLogValid(inspector);
  });
});
