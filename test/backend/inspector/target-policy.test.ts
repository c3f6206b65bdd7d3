// Connection target rules: the policy as a function (parsing, precedence, address forms), then the inspector refusing
// literals before anything opens and names inside the connect, on real loopback sockets.
import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { explain } from '../../../shared';
import { Inspector } from '../../../backend/inspector/inspector';
import { TargetPolicy, parseTargetRule } from '../../../backend/inspector/target-policy';
import { assertLogValid, isState, isType, peer, waitForEvent, type Teardown } from '../../helpers/loopback';
import { useInspectors } from '../../helpers/inspector-fixture';

const METADATA_REFUSAL =
  '169.254.169.254 is in 169.254.0.0/16 (link-local and cloud metadata, denied by default; --allow-target 169.254.0.0/16 allows it)';

describe('rules', () => {
  it('parses IPv4 and IPv6 ranges and bare addresses into canonical text', () => {
    expect(parseTargetRule('169.254.0.0/16')).toBe('169.254.0.0/16');
    expect(parseTargetRule(' FE80::/10 ')).toBe('fe80::/10');
    expect(parseTargetRule('10.0.0.5')).toBe('10.0.0.5/32');
    expect(parseTargetRule('::1')).toBe('::1/128');
    expect(parseTargetRule('0.0.0.0/0')).toBe('0.0.0.0/0');
    expect(parseTargetRule('::ffff:169.254.0.0/112')).toBe('::ffff:169.254.0.0/112');
  });

  it.each([
    ['169.254.0.0/33', 'the prefix length must be a number from 0 to 32 for IPv4'],
    ['fe80::/129', 'the prefix length must be a number from 0 to 128 for IPv6'],
    ['10.0.0.0/', 'the prefix length must be a number from 0 to 32'],
    ['10.0.0.0/-1', 'the prefix length must be a number from 0 to 32'],
    ['10.0.0.0/8/8', 'the prefix length must be a number'],
    ['10.0.0.1/8', 'has address bits set past its /8 prefix: did you mean 10.0.0.0/8?'],
    ['fe80::1/10', 'did you mean fe80::/10?'],
    ['1.2.3/8', 'not an IP address or CIDR range'],
    ['example.com', 'not an IP address or CIDR range'],
    ['', 'not an IP address or CIDR range'],
    ['fe80::1%eth0', 'a zone id'],
  ])('refuses %j: %s', (rule, why) => {
    expect(() => parseTargetRule(rule)).toThrow(`target rule "${rule}": `);
    expect(() => parseTargetRule(rule)).toThrow(why);
    expect(() => new TargetPolicy({ allow: [rule] })).toThrow(why);
  });

  it('denies link-local and the cloud metadata endpoints by default, in every form of the address', () => {
    const policy = new TargetPolicy();
    for (const address of [
      '169.254.169.254',
      '169.254.170.2',
      '169.254.0.1',
      'fe80::1',
      'fe80::1%eth0',
      'febf:ffff::1',
      'fd00:ec2::254',
      'fd20:ce::254',
      'fd00:c1::a9fe:a9fe',
      '100.100.100.200',
      '192.0.0.192',
      '168.63.129.16',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '64:ff9b::169.254.169.254',
      '::ffff:100.100.100.200',
    ]) {
      expect(policy.refusal(address), address).not.toBeNull();
    }
    for (const address of [
      '127.0.0.1',
      '::1',
      '10.0.0.1',
      '169.255.0.1',
      '169.253.255.255',
      'fec0::1',
      'fd00:ec2::253',
      '100.100.100.201',
      '8.8.8.8',
      '::ffff:127.0.0.1',
      '2001:db8::1',
    ]) {
      expect(policy.refusal(address), address).toBeNull();
    }
  });

  it('names the rule, what lives there and the flag that allows it', () => {
    const policy = new TargetPolicy();
    expect(policy.refusal('169.254.169.254')).toBe(METADATA_REFUSAL);
    expect(policy.refusal('::ffff:169.254.169.254')).toBe(
      '::ffff:169.254.169.254 is 169.254.169.254, which is in 169.254.0.0/16 (link-local and cloud metadata, denied by default; --allow-target 169.254.0.0/16 allows it)',
    );
    expect(policy.refusal('fd00:ec2::254')).toBe(
      'fd00:ec2::254 is in fd00:ec2::254/128 (AWS instance metadata over IPv6, denied by default; --allow-target fd00:ec2::254/128 allows it)',
    );
    expect(policy.refusal('169.254.169.254', { name: 'metadata.google.internal', resolved: true })).toBe(
      `metadata.google.internal resolves to ${METADATA_REFUSAL.replace(' is in', ', which is in')}`,
    );
  });

  it('precedence: a user deny always wins, a user allow overrides the default deny for its range only', () => {
    const allowAll = new TargetPolicy({ allow: ['169.254.0.0/16'] });
    expect(allowAll.refusal('169.254.169.254')).toBeNull();
    expect(allowAll.refusal('::ffff:169.254.169.254')).toBeNull();
    expect(allowAll.refusal('fe80::1')).not.toBeNull(); // other defaults stand

    const narrow = new TargetPolicy({ allow: ['169.254.169.254/32'] });
    expect(narrow.refusal('169.254.169.254')).toBeNull();
    expect(narrow.refusal('169.254.170.2')).toContain('in 169.254.0.0/16');

    const both = new TargetPolicy({ allow: ['169.254.0.0/16'], deny: ['169.254.169.254/32'] });
    expect(both.refusal('169.254.169.254')).toBe(
      '169.254.169.254 is in 169.254.169.254/32 (denied by --deny-target 169.254.169.254/32)',
    );
    expect(both.refusal('169.254.1.1')).toBeNull();

    // Deny wins even when the allow rule is narrower and listed for the same address.
    const denyWide = new TargetPolicy({ allow: ['10.1.2.3'], deny: ['10.0.0.0/8'] });
    expect(denyWide.refusal('10.1.2.3')).toContain('denied by --deny-target 10.0.0.0/8');
    // An IPv6 rule over the mapped range sees mapped addresses too.
    expect(new TargetPolicy({ deny: ['::ffff:0:0/96'] }).refusal('::ffff:8.8.8.8')).toContain('::ffff:0.0.0.0/96');
  });

  it('lists the rules in the order they apply', () => {
    const rules = new TargetPolicy({ allow: ['169.254.169.254'], deny: ['10.0.0.0/8'] }).rules;
    expect(rules.slice(0, 3)).toEqual([
      { action: 'deny', cidr: '10.0.0.0/8', source: 'user', note: null },
      { action: 'allow', cidr: '169.254.169.254/32', source: 'user', note: null },
      { action: 'deny', cidr: '169.254.0.0/16', source: 'default', note: 'link-local and cloud metadata' },
    ]);
    expect(rules.every((r, i) => i < 2 || r.source === 'default')).toBe(true);
  });

  it('judges numeric names getaddrinfo reads as IPv4 up front', () => {
    const policy = new TargetPolicy();
    expect(() => policy.assertAllowed('2852039166')).toThrow(
      '2852039166 is 169.254.169.254, which is in 169.254.0.0/16',
    );
    expect(() => policy.assertAllowed('0xa9.0xfe.0xa9.0xfe')).toThrow('is 169.254.169.254');
    expect(() => policy.assertAllowed('example.com')).not.toThrow();
  });
});

describe('the inspector', () => {
  const { make, teardown } = useInspectors();
  const withRules = (targets: { allow?: string[]; deny?: string[] }) => {
    const inspector = new Inspector({ targets });
    teardown.defer(async () => {
      assertLogValid(inspector);
      await inspector.dispose();
    });
    return inspector;
  };

  it('refuses a denied IP literal with 403 TARGET_DENIED naming the rule, opening nothing', () => {
    const inspector = make();
    for (const [host, start] of [
      ['169.254.169.254', METADATA_REFUSAL],
      ['[::ffff:169.254.169.254]', '::ffff:169.254.169.254 is 169.254.169.254, which is in 169.254.0.0/16'],
      ['fe80::1', 'fe80::1 is in fe80::/10 (IPv6 link-local, denied by default'],
      ['2852039166', '2852039166 is 169.254.169.254'],
    ] as const) {
      expect(() => inspector.openConnection({ host, port: 80 }), host).toThrow(
        expect.objectContaining({
          code: 'TARGET_DENIED',
          statusCode: 403,
          extra: { field: 'host' },
          message: expect.stringContaining(start),
        }),
      );
    }
    expect(inspector.sockets().connections).toEqual([]);
    expect(inspector.events({}).lastSeq).toBe(0);
  });

  it('refuses a user-denied literal up front; the peer never sees a connection', async () => {
    const inspector = withRules({ deny: ['127.0.0.2/32'] });
    const accepted: net.Socket[] = [];
    const server = await listenOn(teardown, '127.0.0.2', (s) => accepted.push(s));
    expect(() => inspector.openConnection({ host: '127.0.0.2', port: server.port })).toThrow(
      expect.objectContaining({
        code: 'TARGET_DENIED',
        message: '127.0.0.2 is in 127.0.0.2/32 (denied by --deny-target 127.0.0.2/32)',
      }),
    );
    expect(inspector.sockets().connections).toEqual([]);
    // The rule is exact: its neighbour connects.
    const ok = inspector.openConnection({ host: '127.0.0.1', port: (await peerPort(teardown)).port });
    await waitForEvent(inspector, isState(ok.id, 'open'), 3000, 0);
    expect(accepted).toEqual([]);
  });

  it('fails a name that resolves to a denied address in the connect, with the explanation, without retrying', async () => {
    expect((await dns.lookup('localhost', { all: true })).length).toBeGreaterThan(0);
    const inspector = withRules({ deny: ['127.0.0.1/32', '::1/128'] });
    const target = await peerPort(teardown);
    const row = inspector.openConnection({
      host: 'localhost',
      port: target.port,
      retry: { attempts: 3, initialDelayMs: 1 },
    });
    expect(row.state).toBe('connecting'); // a name is not known up front: the row exists and fails in the connect
    await waitForEvent(inspector, isState(row.id, 'failed'), 3000, 0);
    const faults = inspector.events({ id: row.id }).events.filter(isType('socket/fault'));
    expect(faults).toHaveLength(1);
    const fault = faults[0]!.fault;
    expect(faults[0]!.retryInMs).toBeNull();
    expect(fault).toMatchObject({ code: 'TARGET_DENIED', errno: null, syscall: 'connect', port: target.port });
    expect(fault.message).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), which is in (127\.0\.0\.1\/32|::1\/128) \(denied by --deny-target /,
    );
    expect(fault.explanation).toEqual(explain('TARGET_DENIED'));
    expect(fault.explanation?.fix).toContain('--allow-target');
    // Refused in the lookup: no connect() was made, so the peer has no connection (accepted or pending).
    expect(await new Promise((r) => target.server.getConnections((_, n) => r(n)))).toBe(0);
  });

  it('a name whose addresses are all allowed connects through the same lookup', async () => {
    const inspector = withRules({ deny: ['127.0.0.2/32'] });
    const target = await peerPort(teardown);
    const row = inspector.openConnection({ host: 'localhost', port: target.port });
    await waitForEvent(inspector, isState(row.id, 'open'), 3000, 0);
    await target.accepted(0);
  });

  // An address of this machine's own interface: the connection never leaves it. Not every machine has one.
  const linkLocal = Object.entries(os.networkInterfaces())
    .flatMap(([name, infos]) => (infos ?? []).map((i) => ({ name, ...i })))
    .find((i) => i.family === 'IPv6' && i.address.startsWith('fe80:'));
  it.skipIf(linkLocal === undefined)('an allow rule lets a default-denied range through (own link-local)', async () => {
    const host = `${linkLocal!.address}%${linkLocal!.name}`;
    const server = await listenOn(teardown, host, () => {});
    expect(() => make().openConnection({ host, port: server.port })).toThrow(
      expect.objectContaining({ code: 'TARGET_DENIED' }),
    );
    const allowed = withRules({ allow: ['fe80::/10'] });
    const row = allowed.openConnection({ host, port: server.port });
    await waitForEvent(allowed, isState(row.id, 'open'), 3000, 0);
  });

  it('a malformed rule throws when the inspector is made', () => {
    expect(() => new Inspector({ targets: { deny: ['10.0.0.1/8'] } })).toThrow(
      'target rule "10.0.0.1/8": it has address bits set past its /8 prefix: did you mean 10.0.0.0/8?',
    );
  });
});

async function peerPort(teardown: Teardown) {
  return teardown.add(await peer());
}

/** A plain server on `host` (any loopback or own address), closed in teardown. */
async function listenOn(teardown: Teardown, host: string, onSocket: (s: net.Socket) => void) {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    onSocket(s);
  });
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  teardown.defer(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as net.AddressInfo).port };
}
