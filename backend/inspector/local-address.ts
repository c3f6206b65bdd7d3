// Self-connect protection: sockscope must not be made to dial its own HTTP port.
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import { selfConnect } from './errors';

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

// Connecting to a wildcard address reaches this host too.
const wildcard = new net.BlockList();
wildcard.addAddress('0.0.0.0', 'ipv4');
wildcard.addAddress('::', 'ipv6');
wildcard.addAddress('::ffff:0.0.0.0', 'ipv6');

const stripZone = (address: string): string => address.replace(/%.*$/, '');
const familyOf = (address: string): 'ipv4' | 'ipv6' | null => {
  const v = net.isIP(address);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : null;
};

function interfaceAddresses(): net.BlockList {
  const list = new net.BlockList();
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) {
      const address = stripZone(info.address);
      const family = familyOf(address);
      if (family) list.addAddress(address, family);
    }
  }
  return list;
}

/** Loopback, wildcard, or an address of one of this host's interfaces (IPv4-mapped forms included). */
export function isLocalAddress(literal: string): boolean {
  const address = stripZone(literal);
  const family = familyOf(address);
  if (!family) return false;
  return (
    loopback.check(address, family) || wildcard.check(address, family) || interfaceAddresses().check(address, family)
  );
}

/** True for a literal local address or a name that always means this host. */
export function isLocalHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return isLocalAddress(host.replace(/^\[(.*)\]$/, '$1'));
}

export function isLoopbackAddress(literal: string): boolean {
  const address = stripZone(literal);
  const family = familyOf(address);
  return family !== null && loopback.check(address, family);
}

function selfConnectError(hostname: string, address: string, port: number): NodeJS.ErrnoException {
  const message = `${hostname} resolves to ${address}, and port ${port} is sockscope's own HTTP port`;
  return Object.assign(new Error(message), { code: 'SELF_CONNECT', syscall: 'connect', address, port });
}

export class SelfConnectGuard {
  constructor(private readonly forbiddenPorts: () => readonly number[] = () => []) {}

  isForbidden(port: number): boolean {
    return this.forbiddenPorts().includes(port);
  }

  /** Throws SELF_CONNECT when the target is visibly this host on a forbidden port. */
  assertAllowed(host: string, port: number): void {
    if (this.isForbidden(port) && isLocalHost(host)) throw selfConnect(port);
  }

  /** For host names on a forbidden port: a lookup that fails the attempt when the name resolves here. */
  lookupFor(host: string, port: number): net.LookupFunction | undefined {
    if (net.isIP(host) !== 0 || !this.isForbidden(port)) return undefined;
    return (hostname, options, callback) => {
      dns.lookup(hostname, options, (err, address, family) => {
        if (err) return callback(err, address, family);
        const all = Array.isArray(address) ? address.map((a) => a.address) : [address];
        const local = all.find(isLocalAddress);
        if (local !== undefined) return callback(selfConnectError(hostname, local, port), address, family);
        callback(null, address, family);
      });
    };
  }
}
