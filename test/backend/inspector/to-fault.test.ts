import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { FaultSchema } from '../../../shared';
import { connectTimeoutFault, errnoOf, toFault } from '../../../backend/inspector/to-fault';

const faultCheck = Compile(FaultSchema);
const nodeError = (code: string, syscall: string, address: string, port: number) =>
  Object.assign(new Error(`${syscall} ${code} ${address}:${port}`), { code, errno: -111, syscall, address, port });

describe('toFault', () => {
  it('keeps code, syscall, address and port; errno is the positive os.constants number', () => {
    const f = toFault(nodeError('ECONNREFUSED', 'connect', '127.0.0.1', 9), 'connecting');
    expect(f).toMatchObject({
      code: 'ECONNREFUSED',
      errno: 111,
      syscall: 'connect',
      address: '127.0.0.1',
      port: 9,
      state: 'connecting',
    });
    expect(f.message).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect(faultCheck.Check(f)).toBe(true);
  });

  it('reads an AggregateError (autoSelectFamily) through its inner errors', () => {
    const inner = [
      nodeError('ECONNREFUSED', 'connect', '::1', 80),
      nodeError('ECONNREFUSED', 'connect', '127.0.0.1', 80),
    ];
    const agg = Object.assign(new AggregateError(inner, ''), { code: 'ECONNREFUSED' });
    const f = toFault(agg, 'connecting');
    expect(f).toMatchObject({ code: 'ECONNREFUSED', errno: 111, syscall: 'connect', address: '::1', port: 80 });
    expect(f.message).toBe('connect ECONNREFUSED ::1:80; connect ECONNREFUSED 127.0.0.1:80');
    expect(faultCheck.Check(f)).toBe(true);
  });

  it('gives null errno for codes that are not errno names, and survives non-errors', () => {
    expect(toFault(Object.assign(new Error('x'), { code: 'ERR_SOCKET_CLOSED' }), 'open').errno).toBeNull();
    expect(
      toFault(Object.assign(new Error('no'), { code: 'ENOTFOUND', syscall: 'getaddrinfo' }), 'connecting').errno,
    ).toBeNull();
    const weird = toFault('boom', 'open', { syscall: 'read' });
    expect(weird).toMatchObject({ code: 'UNKNOWN', message: 'boom', syscall: 'read', errno: null });
    expect(faultCheck.Check(weird)).toBe(true);
  });

  it('falls back on the context for what the error does not say', () => {
    const f = toFault(Object.assign(new Error('lost'), { code: 'ECONNRESET' }), 'open', {
      syscall: 'read',
      address: '10.0.0.1',
      port: 5,
    });
    expect(f).toMatchObject({ syscall: 'read', address: '10.0.0.1', port: 5, errno: 104 });
  });

  it('reports our connect timer like the kernel would', () => {
    const f = connectTimeoutFault('10.1.2.3', 80, 2000, 'connecting');
    expect(f).toMatchObject({ code: 'ETIMEDOUT', errno: 110, syscall: 'connect', address: '10.1.2.3', port: 80 });
    expect(f.message).toBe('connect ETIMEDOUT 10.1.2.3:80 (no answer within 2000 ms)');
    expect(errnoOf('EPIPE')).toBe(32);
  });
});
