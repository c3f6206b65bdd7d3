import { constants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ERRNO_TABLE, REQUIRED_CODES, errnoInfo, explain } from '../../shared';

const rows = Object.values(ERRNO_TABLE);
const osErrno = constants.errno as Record<string, number | undefined>;

describe('ERRNO_TABLE', () => {
  it('covers every required code and the other socket errors', () => {
    const extra = ['EHOSTDOWN', 'ENETDOWN', 'ENETRESET', 'EMFILE', 'ENFILE', 'ENOBUFS', 'EINVAL', 'EBADF'];
    const more = ['EINPROGRESS', 'EALREADY', 'EPROTO', 'EPERM', 'EAFNOSUPPORT', 'EPROTONOSUPPORT', 'EMSGSIZE'];
    const node = ['EINTR', 'ESHUTDOWN', 'ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_DESTROYED', 'ERR_SOCKET_CLOSED'];
    for (const code of [...REQUIRED_CODES, ...extra, ...more, ...node, 'SELF_CONNECT']) {
      expect(errnoInfo(code), code).not.toBeNull();
    }
  });

  it('keys each row by its own code', () => {
    for (const [key, row] of Object.entries(ERRNO_TABLE)) expect(row.code).toBe(key);
  });

  it.each(rows.filter((r) => r.errno !== null).map((r) => [r.code, r.errno] as const))(
    '%s is errno %i on this Linux',
    (code, errno) => {
      // EHOSTDOWN and ESHUTDOWN are missing from os.constants.errno, but libuv knows their names.
      if (osErrno[code] !== undefined) expect(errno).toBe(osErrno[code]);
      else expect(getSystemErrorName(-errno!)).toBe(code);
    },
  );

  it('has no errno for getaddrinfo and Node-only codes', () => {
    for (const row of rows) {
      if (row.code.startsWith('EAI_') || row.code === 'ENOTFOUND' || !/^E[A-Z]+$/.test(row.code)) {
        expect(row.errno, row.code).toBeNull();
      } else {
        expect(row.errno, row.code).toBeTypeOf('number');
      }
    }
  });

  it.each(rows.map((r) => [r.code, r] as const))('%s has a title, a cause and a fix', (_code, row) => {
    expect(row.title.trim()).not.toBe('');
    for (const text of [row.cause, row.fix]) {
      expect(text.trim().length).toBeGreaterThan(20);
      expect(text.length).toBeLessThan(500);
      expect(text).toMatch(/[.!?)]$/);
    }
  });

  it('explains known codes and returns null for unknown ones', () => {
    expect(explain('ECONNREFUSED')).toEqual({
      title: 'Connection refused',
      cause: ERRNO_TABLE.ECONNREFUSED!.cause,
      fix: ERRNO_TABLE.ECONNREFUSED!.fix,
    });
    expect(explain('ENOPE')).toBeNull();
    expect(errnoInfo('toString')).toBeNull();
    expect(errnoInfo('__proto__')).toBeNull();
  });

  it('speaks to the usual mistakes', () => {
    expect(ERRNO_TABLE.EADDRINUSE!.fix).toMatch(/SO_REUSEADDR/);
    expect(ERRNO_TABLE.EADDRINUSE!.cause).toMatch(/TIME_WAIT/);
    expect(ERRNO_TABLE.EPIPE!.fix).toMatch(/MSG_NOSIGNAL/);
    expect(ERRNO_TABLE.ETIMEDOUT!.cause).toMatch(/DROP/);
    expect(ERRNO_TABLE.EACCES!.cause).toMatch(/1024/);
    expect(ERRNO_TABLE.ECONNRESET!.fix).toMatch(/SHUT_WR/);
    expect(ERRNO_TABLE.EAGAIN!.fix).toMatch(/sendall/);
    expect(ERRNO_TABLE.ENOTCONN!.cause).toMatch(/listening socket/);
  });
});
