// Expect on real loopback connections: cursors, split reads, regex groups, framed messages, states, kernel states,
// faults, timeouts with what was seen, fast failure once nothing more can come; and the matchers on their own.
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import {
  CHUNK_OVERHEAD_BYTES,
  ExpectReplySchema,
  ExpectSeenSchema,
  type ExpectBody,
  type ExpectReply,
} from '../../../shared';
import { Inspector } from '../../../backend/inspector/inspector';
import { InspectorError } from '../../../backend/inspector/errors';
import { CaptureStore } from '../../../backend/inspector/capture';
import { ByteCondition } from '../../../backend/expect/byte-condition';
import type { ExpectTarget } from '../../../backend/expect/conditions';
import { RegexMatcher, TextMatcher, type ByteMatch, type StreamMatcher } from '../../../backend/expect/matchers';
import { compileRegex, type SafeRegex } from '../../../shared';
import { connectionRow } from '../../helpers/rows';
import { isState, isType, peer, waitForEvent, within } from '../../helpers/loopback';
import { useInspector } from '../../helpers/inspector-fixture';

const fx = useInspector(5000);
const { teardown, until } = fx;
const checkReply = Compile(ExpectReplySchema);
const checkSeen = Compile(ExpectSeenSchema);
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const re = (source: string): SafeRegex => {
  const compiled = compileRegex(source);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.re;
};

/** A client connection of the inspector's, open, and the peer's end of it. */
async function connected(inspector: Inspector = fx.inspector): Promise<{ id: string; peer: net.Socket }> {
  const p = teardown.add(await peer());
  const row = inspector.openConnection({ host: '127.0.0.1', port: p.port });
  await waitForEvent(inspector, isState(row.id, 'open'), 3000, 0);
  const s = await p.accepted();
  s.setNoDelay(true);
  return { id: row.id, peer: s };
}

/** Resolves once the inspector has read `total` bytes on the connection. */
const readTotal = (id: string, total: number) =>
  until(isType('socket/data', id)).then(() =>
    waitForEvent(fx.inspector, (e) => e.type === 'socket/data' && e.id === id && e.offset + e.length >= total, 3000, 0),
  );

async function expectOk(id: string, body: ExpectBody): Promise<ExpectReply> {
  const reply = await fx.inspector.expect(id, body);
  expect(checkReply.Check(reply), JSON.stringify(reply)).toBe(true);
  return reply;
}

async function expectFails(promise: Promise<unknown>): Promise<InspectorError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the expect to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InspectorError);
  return err as InspectorError;
}

describe('byte conditions and the cursor', () => {
  it('finds text split across two reads ("hel" then "lo")', async () => {
    const { id, peer: s } = await connected();
    const pending = expectOk(id, { text: 'hello', timeoutMs: 3000 });
    s.write('hel');
    await readTotal(id, 3);
    s.write('lo');
    const reply = await pending;
    expect(reply.match).toMatchObject({ start: 0, end: 5, data: b64('hello') });
    expect(reply).toMatchObject({ id, condition: 'text', cursor: 5, state: 'open', fault: null });
    expect(fx.inspector.getConnection(id).chunksIn).toBe(2);
  });

  it('finds text captured before the call, starting at the oldest captured byte', async () => {
    const { id, peer: s } = await connected();
    s.write('xxhello');
    await readTotal(id, 7);
    const reply = await expectOk(id, { text: 'hello', timeoutMs: 0 });
    expect(reply.match).toMatchObject({ start: 2, end: 7 });
    expect(reply.cursor).toBe(7);
  });

  it('consumes in order: a match moves the cursor, nothing before it is matched again', async () => {
    const { id, peer: s } = await connected();
    s.write('A1 B2 A3');
    await readTotal(id, 8);
    expect((await expectOk(id, { text: 'A' })).match).toMatchObject({ start: 0, end: 1 });
    expect((await expectOk(id, { text: 'A' })).match).toMatchObject({ start: 6, end: 7 });
    const err = await expectFails(fx.inspector.expect(id, { text: 'B', timeoutMs: 0 }));
    expect(err).toMatchObject({ code: 'EXPECT_TIMEOUT', statusCode: 408 });
    expect(err.extra.seen).toMatchObject({ bytes: 1, data: b64('3') });
  });

  it('regex: groups decoded as UTF-8, null for a group that did not take part', async () => {
    const { id, peer: s } = await connected();
    const pending = expectOk(id, { regex: 'HTTP/(\\d\\.\\d) (\\d+)( nope)?' });
    s.write('junk HTTP/1.1 200 OK\r\n');
    const reply = await pending;
    expect(reply.match).toMatchObject({ start: 5, end: 17, groups: ['1.1', '200', null], data: b64('HTTP/1.1 200') });
    s.write(Buffer.from('name=\u00e9!\n', 'utf8'));
    const named = await expectOk(id, { regex: 'name=([^!]+)!' });
    expect(named.match?.groups).toEqual(['\u00e9']);
    expect(named.match?.start).toBe(22);
  });

  it('regex: a match spanning two reads', async () => {
    const { id, peer: s } = await connected();
    const pending = expectOk(id, { regex: 'len=(\\d+);', timeoutMs: 3000 });
    s.write('x len=12');
    await readTotal(id, 8);
    s.write('34;');
    expect((await pending).match).toMatchObject({ start: 2, end: 11, groups: ['1234'], data: b64('len=1234;') });
  });

  it('bytes: at least N after the cursor, the data is those N', async () => {
    const { id, peer: s } = await connected();
    const pending = expectOk(id, { bytes: 5 });
    s.write('abc');
    await readTotal(id, 3);
    s.write('defg');
    expect((await pending).match).toMatchObject({ start: 0, end: 5, data: b64('abcde') });
    expect((await expectOk(id, { bytes: 2 })).match).toMatchObject({ start: 5, end: 7, data: b64('fg') });
  });

  it('message: two 4-byte length-prefixed frames sent one byte at a time', async () => {
    const { id, peer: s } = await connected();
    const frame = (t: string) => Buffer.concat([Buffer.from([0, 0, 0, t.length]), Buffer.from(t)]);
    const bytes = Buffer.concat([frame('hi'), frame('there')]);
    const pending = expectOk(id, { message: { framing: { kind: 'length', bytes: 4 }, count: 2 } });
    for (let i = 0; i < bytes.length; i++) {
      s.write(bytes.subarray(i, i + 1));
      await readTotal(id, i + 1);
    }
    const reply = await pending;
    expect(reply.match).toMatchObject({ start: 0, end: 15, data: b64(bytes) });
    expect(reply.match?.messages?.map((m) => [m.index, m.start, m.end, m.length, m.data])).toEqual([
      [1, 0, 6, 2, b64('hi')],
      [2, 6, 15, 5, b64('there')],
    ]);
    expect(reply.match?.messages?.[0]?.reads).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reply.cursor).toBe(15);
  });

  it('direction out reads what we sent, with its own cursor', async () => {
    const { id, peer: s } = await connected();
    s.write('ping');
    await fx.inspector.send(id, { data: 'pong' });
    expect((await expectOk(id, { text: 'ong', direction: 'out', timeoutMs: 0 })).match).toMatchObject({ start: 1 });
    expect((await expectOk(id, { text: 'ping', timeoutMs: 2000 })).cursor).toBe(4);
  });

  it('starts at the oldest byte still captured when older ones were evicted', async () => {
    const inspector = new Inspector({
      limits: { capturePerConnectionBytes: 1000 + CHUNK_OVERHEAD_BYTES, captureHeadBytes: 0 },
    });
    teardown.defer(() => inspector.dispose());
    const { id, peer: s } = await connected(inspector);
    for (let i = 0; i < 3; i++) {
      s.write(Buffer.alloc(1000, 97 + i));
      await waitForEvent(
        inspector,
        (e) => e.type === 'socket/data' && e.id === id && e.offset + e.length >= 1000 * (i + 1),
        3000,
        0,
      );
    }
    const reply = await inspector.expect(id, { bytes: 1, timeoutMs: 0 });
    expect(reply.match).toMatchObject({ start: 2000, end: 2001, data: b64('c') });
  });

  it('1 MB captured, then the text arrives straddling old and new bytes: found once, at the right offset', async () => {
    const { id, peer: s } = await connected();
    const big = Buffer.alloc(1_000_000, 'a');
    s.write(big);
    await readTotal(id, big.length);
    const pending = expectOk(id, { text: 'aab', timeoutMs: 3000 });
    s.write('bzz');
    const reply = await pending;
    expect(reply.match).toMatchObject({ start: 999_998, end: 1_000_001 });
    expect((await expectOk(id, { text: 'zz', timeoutMs: 0 })).match).toMatchObject({ start: 1_000_001 });
  });
});

describe('state, tcpState and fault', () => {
  it('state: half-closed-remote after the peer FIN, closed once we shut down too', async () => {
    const { id, peer: s } = await connected();
    const closed = expectOk(id, { state: 'closed', timeoutMs: 3000 });
    s.end();
    expect((await expectOk(id, { state: 'half-closed-remote' })).state).toBe('half-closed-remote');
    fx.inspector.shutdown(id);
    const reply = await closed;
    expect(reply).toMatchObject({ condition: 'state', state: 'closed', match: null });
  });

  it('tcpState: CLOSE_WAIT after the peer FIN (the kernel view, polled)', async () => {
    const { id, peer: s } = await connected();
    const pending = expectOk(id, { tcpState: 'CLOSE_WAIT', timeoutMs: 3000 });
    s.end();
    const reply = await pending;
    expect(reply).toMatchObject({ condition: 'tcpState', tcpState: 'CLOSE_WAIT', match: null });
  });

  it('fault: ECONNRESET after the peer resetAndDestroy()', async () => {
    const { id, peer: s } = await connected();
    const pending = expectOk(id, { fault: 'ECONNRESET', timeoutMs: 3000 });
    s.resetAndDestroy();
    expect((await pending).fault).toBe('ECONNRESET');
    // Now: it holds at once.
    expect((await expectOk(id, { fault: 'ECONNRESET', timeoutMs: 0 })).condition).toBe('fault');
  });
});

describe('failures', () => {
  it('times out with 408, what arrived after the cursor in `seen`, and a message naming both', async () => {
    const { id, peer: s } = await connected();
    s.write('hel');
    await readTotal(id, 3);
    const err = await expectFails(fx.inspector.expect(id, { text: 'hello', timeoutMs: 150 }));
    expect(err).toMatchObject({ code: 'EXPECT_TIMEOUT', statusCode: 408 });
    expect(err.message).toBe(
      `expected text "hello" on ${id} (in) within 150 ms; 3 bytes arrived after the cursor: "hel"`,
    );
    expect(checkSeen.Check(err.extra.seen)).toBe(true);
    expect(err.extra.seen).toMatchObject({ bytes: 3, data: b64('hel'), state: 'open', fault: null });
  });

  it('fails at once when the connection is closed and the bytes are not there', async () => {
    const { id, peer: s } = await connected();
    s.end('abc');
    await until(isState(id, 'half-closed-remote'));
    const err = await expectFails(fx.inspector.expect(id, { text: 'zzz', timeoutMs: 60_000 }));
    expect(err.code).toBe('EXPECT_TIMEOUT');
    expect(err.message).toBe(
      `expected text "zzz" on ${id} (in), but the peer of ${id} sent its FIN: no more bytes can arrive; 3 bytes arrived after the cursor: "abc"`,
    );
    // Already there still matches after the FIN.
    expect((await expectOk(id, { text: 'bc', timeoutMs: 0 })).match).toMatchObject({ start: 1 });
  });

  it('a pending expect fails as soon as the connection fails; unreachable states and missing faults too', async () => {
    const { id, peer: s } = await connected();
    const pending = fx.inspector.expect(id, { text: 'never', timeoutMs: 60_000 });
    s.resetAndDestroy();
    const err = await within(expectFails(pending), 3000, 'the expect');
    expect(err.message).toBe(
      `expected text "never" on ${id} (in), but ${id} is failed (ECONNRESET): no more bytes can arrive; 0 bytes arrived after the cursor`,
    );
    const out = await expectFails(fx.inspector.expect(id, { text: 'x', direction: 'out', timeoutMs: 60_000 }));
    expect(out.message).toMatch(/, but c-[0-9]+ is failed \(ECONNRESET\): no more bytes can be sent; /);
    const state = await expectFails(fx.inspector.expect(id, { state: 'open', timeoutMs: 60_000 }));
    expect(state.message).toBe(
      `expected state open on ${id}, but ${id} is failed (ECONNRESET), from where open cannot be reached`,
    );
    const fault = await expectFails(fx.inspector.expect(id, { fault: 'ETIMEDOUT', timeoutMs: 60_000 }));
    expect(fault.message).toBe(
      `expected fault ETIMEDOUT on ${id}, but ${id} is failed with fault ECONNRESET, and no other fault can come`,
    );
    expect(fault.extra.seen?.fault).toBe('ECONNRESET');
  });

  it('bad bodies: 400 naming the field, nothing waits', async () => {
    const { id } = await connected();
    const bad = async (body: unknown, field: string) => {
      const err = await expectFails(fx.inspector.expect(id, body as ExpectBody));
      expect(err).toMatchObject({ code: 'BAD_REQUEST', statusCode: 400 });
      expect(err.extra.field).toBe(field);
    };
    await bad({}, 'condition');
    await bad({ text: 'a', regex: 'b' }, 'regex');
    await bad({ regex: '(' }, 'regex');
    await bad({ message: { framing: { kind: 'delimiter', delimiter: '\\xZZ' } } }, 'message.framing');
    await bad({ text: 'a', timeoutMs: -1 }, 'timeoutMs');
    await expect(fx.inspector.expect('c-999', { text: 'a' })).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
  });

  it('dispose fails pending expects with 503; new ones are refused', async () => {
    const inspector = new Inspector();
    const { id } = await connected(inspector);
    const pending = expect(inspector.expect(id, { text: 'never', timeoutMs: 60_000 })).rejects.toMatchObject({
      statusCode: 503,
    });
    const kernel = expect(inspector.expect(id, { tcpState: 'TIME_WAIT', timeoutMs: 60_000 })).rejects.toMatchObject({
      statusCode: 503,
    });
    await inspector.dispose();
    await pending;
    await kernel;
    await expect(inspector.expect(id, { text: 'x' })).rejects.toMatchObject({ statusCode: 503 });
  });
});

describe('matchers, fed by hand', () => {
  /** A capture holding `chunks` (in), behind a fake connection. */
  function target(chunks: Buffer[]): ExpectTarget & { add(b: Buffer): { index: number; offset: number } } {
    const capture = new CaptureStore(8 << 20, 64 << 20).create();
    for (const c of chunks) capture.record('in', c, 0);
    return {
      id: 'c-1',
      state: 'open',
      capture,
      snapshot: () => connectionRow({ id: 'c-1', state: 'open' }),
      add: (b) => capture.record('in', b, 0),
    };
  }

  /** Counts every byte it is given; matches nothing. */
  class Counting implements StreamMatcher {
    readonly broken = null;
    pushed = 0;
    push(bytes: Buffer): ByteMatch | null {
      this.pushed += bytes.length;
      return null;
    }
    gap(): void {}
  }

  it('never scans a byte twice: 1 MB captured (a slice per turn), chunks during and after it, each pushed once', async () => {
    const chunks = Array.from({ length: 16 }, () => Buffer.alloc(64 * 1024, 'x'));
    const t = target(chunks);
    const counting = new Counting();
    const c = new ByteCondition(t, 'in', counting, 0);
    const outcomes: unknown[] = [];
    const arrive = () => {
      const b = Buffer.from('new');
      const { index, offset } = t.add(b);
      const e = {
        type: 'socket/data',
        seq: 1,
        at: 0,
        id: 'c-1',
        direction: 'in',
        index,
        offset,
        length: 3,
        data: b64(b),
        truncated: false,
      } as const;
      return c.event(e);
    };
    expect(c.start((o) => outcomes.push(o))).toBeNull();
    // One slice now, the rest on later turns of the event loop: the server answers others in between.
    expect(counting.pushed).toBe(64 * 1024);
    expect(arrive()).toBeNull(); // while the history is fed: read from the capture in its turn, not from the event
    while (counting.pushed < 16 * 64 * 1024 + 3) await new Promise(setImmediate);
    for (let i = 0; i < 2; i++) expect(arrive()).toBeNull();
    expect(counting.pushed).toBe(16 * 64 * 1024 + 9);
    expect(outcomes).toEqual([]); // nothing matched, the connection is open: nothing to say
  });

  it('a condition started past the cursor skips what is before it', () => {
    const t = target([Buffer.from('hello'), Buffer.from('world')]);
    const counting = new Counting();
    new ByteCondition(t, 'in', counting, 7).start(() => {});
    expect(counting.pushed).toBe(3);
  });

  it('text carries needle.length - 1 bytes across pushes', () => {
    const m = new TextMatcher(Buffer.from('abcd'), 100);
    expect(m.push(Buffer.from('xxab'))).toBeNull();
    expect(m.push(Buffer.from('c'))).toBeNull();
    expect(m.push(Buffer.from('dzz'))).toMatchObject({ start: 102, end: 106 });
  });

  it('regex: a match up to the look-back is found; past twice it, older bytes leave the window and the timeout says so', () => {
    const m = new RegexMatcher(re('a+b'), 0, 4);
    expect(m.push(Buffer.from('aaaaaa'))).toBeNull();
    expect(m.lost).toBeNull();
    // The a's reach back more than 2 * 4 bytes: the search started 4 bytes after the first a took over.
    expect(m.push(Buffer.from('aaaab'))).toMatchObject({ start: 5, end: 11 });
    const far = new RegexMatcher(re('START.*END'), 0, 4);
    expect(far.push(Buffer.from('START....'))).toBeNull();
    expect(far.push(Buffer.from('END'))).toBeNull();
    expect(far.lost).toBe(
      'the regex keeps at most 8 bytes: those before stream offset 5 left its window, so a match longer than 4 bytes may go unfound',
    );
  });
});
