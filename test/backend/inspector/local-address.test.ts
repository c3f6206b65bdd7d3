import os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  isLocalAddress,
  isLocalHost,
  isLoopbackAddress,
  SelfConnectGuard,
} from '../../../backend/inspector/local-address';
import { InspectorError } from '../../../backend/inspector/errors';

const firstInterfaceAddress = (): string | undefined =>
  Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && !i.internal)?.address;

describe('local addresses', () => {
  it('knows loopback, wildcard and mapped forms', () => {
    for (const a of ['127.0.0.1', '127.9.8.7', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '0.0.0.0', '::']) {
      expect(isLocalAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '2001:db8::1', 'example.com']) expect(isLocalAddress(a), a).toBe(false);
    expect(isLoopbackAddress('0.0.0.0')).toBe(false);
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
  });

  it('counts this host interface addresses and localhost names', () => {
    const own = firstInterfaceAddress();
    if (own) expect(isLocalAddress(own)).toBe(true);
    expect(isLocalHost('localhost')).toBe(true);
    expect(isLocalHost('LOCALHOST.')).toBe(true);
    expect(isLocalHost('[::1]')).toBe(true);
  });
});

describe('SelfConnectGuard', () => {
  const guard = new SelfConnectGuard(() => [7070]);

  it('refuses our own port on a local host, allows other ports and hosts', () => {
    expect(() => guard.assertAllowed('127.0.0.1', 7070)).toThrow(InspectorError);
    expect(() => guard.assertAllowed('localhost', 7070)).toThrow(/own HTTP port/);
    expect(() => guard.assertAllowed('::ffff:127.0.0.1', 7070)).toThrow(InspectorError);
    expect(() => guard.assertAllowed('127.0.0.1', 7071)).not.toThrow();
    expect(() => guard.assertAllowed('192.0.2.200', 7070)).not.toThrow();
  });

  it('gives a lookup only for names on a forbidden port; it fails names that resolve here', async () => {
    expect(guard.lookupFor('127.0.0.1', 7070)).toBeUndefined();
    expect(guard.lookupFor('example.test', 80)).toBeUndefined();
    const lookup = guard.lookupFor('localhost', 7070)!;
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('localhost', { all: true }, (e) => resolve(e)),
    );
    expect(err?.code).toBe('SELF_CONNECT');
  });
});
