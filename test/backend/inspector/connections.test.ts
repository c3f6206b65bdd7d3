// Client connections against real loopback peers: lifecycle, bytes, actions.
import { describe, expect, it } from 'vitest';
import type { EventOf, InspectorEvent } from '../../../shared';
import { Inspector } from '../../../backend/inspector/inspector';
import {
  assertLogValid,
  echoServer,
  isState,
  isType,
  readBytes,
  silentServer,
  waitForEvent,
  within,
} from '../../helpers/loopback';
import { useInspector } from '../../helpers/inspector-fixture';

const fx = useInspector();
const { teardown, until } = fx;
const dataIn =
  (id: string, index: number) =>
  (e: InspectorEvent): e is EventOf<'socket/data'> =>
    e.type === 'socket/data' && e.id === id && e.direction === 'in' && e.index === index;
const eventsOf = (id: string) => fx.inspector.events({ id }).events;

async function connectTo(port: number) {
  const row = fx.inspector.openConnection({ host: '127.0.0.1', port });
  await until(isState(row.id, 'open'));
  return row.id;
}

/** One echo round trip on its own connection: lets the event loop and the loopback run a few times. */
async function roundTrip(port: number): Promise<void> {
  const id = await connectTo(port);
  await fx.inspector.send(id, { data: 'x' });
  await until(dataIn(id, 2));
  fx.inspector.reset(id);
}

describe('client connections', () => {
  it('opens: socket/opened, socket/attempt, then connecting -> open with endpoints', async () => {
    const echo = teardown.add(await echoServer());
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: echo.port });
    expect(row).toMatchObject({
      id: 'c-1',
      kind: 'client',
      parent: null,
      state: 'connecting',
      attempt: 1,
      attempts: 1,
      target: { address: '127.0.0.1', port: echo.port },
      local: null,
      remote: null,
      fault: null,
    });
    const open = await until(isState(row.id, 'open'));
    expect(open).toMatchObject({
      from: 'connecting',
      cause: 'connect',
      family: 'IPv4',
      remote: { address: '127.0.0.1', port: echo.port },
    });
    expect(open.local?.address).toBe('127.0.0.1');
    expect(eventsOf(row.id).map((e) => e.type)).toEqual(['socket/opened', 'socket/attempt', 'socket/state']);
    expect(fx.inspector.getConnection(row.id)).toMatchObject({
      state: 'open',
      local: open.local,
      remote: open.remote,
      family: 'IPv4',
    });
    expect(fx.inspector.openConnection({ host: '127.0.0.1', port: echo.port }).id).toBe('c-2');
  });

  it('three writes read separately arrive as exactly three in chunks with their offsets', async () => {
    const silent = teardown.add(await silentServer());
    const id = await connectTo(silent.port);
    const peer = await silent.accepted();
    const parts = ['one', 'two!', 'three'];
    for (const [i, part] of parts.entries()) {
      peer.write(part);
      await until(dataIn(id, i + 1));
    }
    const reply = fx.inspector.chunks(id, {});
    expect(
      reply.chunks.map((c) => [c.index, c.direction, c.offset, c.length, Buffer.from(c.data, 'base64').toString()]),
    ).toEqual([
      [1, 'in', 0, 3, 'one'],
      [2, 'in', 3, 4, 'two!'],
      [3, 'in', 7, 5, 'three'],
    ]);
    expect(reply).toMatchObject({ lastIndex: 3, more: false, droppedBytes: 0, droppedChunks: 0 });
    expect(fx.inspector.getConnection(id)).toMatchObject({ bytesIn: 12, chunksIn: 3, bytesOut: 0, chunksOut: 0 });
    const events = eventsOf(id).filter(isType('socket/data'));
    expect(events.map((e) => [e.index, e.offset, e.length, e.truncated])).toEqual([
      [1, 0, 3, false],
      [2, 3, 4, false],
      [3, 7, 5, false],
    ]);
  });

  it('send decodes utf8, hex and base64, records out chunks and reports the write', async () => {
    const silent = teardown.add(await silentServer());
    const id = await connectTo(silent.port);
    const peer = await silent.accepted();
    const received = readBytes(peer, 6);
    expect(await fx.inspector.send(id, { data: 'hi', encoding: 'utf8' })).toMatchObject({
      id,
      bytes: 2,
      bytesOut: 2,
      writes: 1,
      stopped: null,
    });
    expect(await fx.inspector.send(id, { data: '0x48 0x49', encoding: 'hex' })).toMatchObject({
      bytes: 2,
      bytesOut: 4,
    });
    const last = await fx.inspector.send(id, { data: 'SGk=', encoding: 'base64' });
    expect(last).toMatchObject({ bytes: 2, bytesOut: 6 });
    expect(last.queuedBytes).toBeGreaterThanOrEqual(0);
    expect((await received).toString()).toBe('hiHIHi');
    const out = fx.inspector.chunks(id, { direction: 'out' }).chunks;
    expect(out.map((c) => [c.index, c.offset, c.length])).toEqual([
      [1, 0, 2],
      [2, 2, 2],
      [3, 4, 2],
    ]);
    expect(fx.inspector.getConnection(id)).toMatchObject({ bytesOut: 6, chunksOut: 3 });
  });

  it('rejects bad hex and base64 naming the position, and oversized payloads; nothing is sent', async () => {
    const small = new Inspector({ limits: { maxSendBytes: 4 } });
    teardown.defer(() => small.dispose());
    const silent = teardown.add(await silentServer());
    const row = small.openConnection({ host: '127.0.0.1', port: silent.port });
    await waitForEvent(small, isState(row.id, 'open'), 3000, 0);
    await expect(small.send(row.id, { data: '48 6', encoding: 'hex' })).rejects.toMatchObject({
      code: 'BAD_PAYLOAD',
      message: expect.stringContaining('position 3'),
    });
    await expect(small.send(row.id, { data: 'SG$k', encoding: 'base64' })).rejects.toMatchObject({
      code: 'BAD_PAYLOAD',
      message: expect.stringContaining('position 2'),
    });
    await expect(small.send(row.id, { data: 'hello', encoding: 'utf8' })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      statusCode: 413,
    });
    expect(small.getConnection(row.id)).toMatchObject({ bytesOut: 0, chunksOut: 0 });
    expect(small.events({ id: row.id }).events.some((e) => e.type === 'socket/data')).toBe(false);
    assertLogValid(small);
  });

  it('close flushes, sends FIN and ends closed with cause close', async () => {
    const silent = teardown.add(await silentServer());
    const id = await connectTo(silent.port);
    const peer = await silent.accepted();
    const ended = new Promise<void>((resolve) => peer.once('end', resolve));
    const got = readBytes(peer, 5);
    await fx.inspector.send(id, { data: 'bye!!' });
    fx.inspector.close(id);
    await expect(fx.inspector.send(id, { data: 'more' })).rejects.toMatchObject({ code: 'NOT_WRITABLE' });
    const closed = await until(isState(id, 'closed'));
    expect(closed).toMatchObject({ from: 'open', cause: 'close' });
    expect((await got).toString()).toBe('bye!!');
    await within(ended, 3000, 'peer end');
    const final = await until(isType('socket/closed', id));
    expect(final.connection).toMatchObject({ state: 'closed', queuedBytes: 0 });
    expect(final.connection.closedAt).toBeGreaterThanOrEqual(final.connection.createdAt);
  });

  it('reset sends RST: closed with cause reset, and the peer sees ECONNRESET', async () => {
    const silent = teardown.add(await silentServer());
    const id = await connectTo(silent.port);
    const peer = await silent.accepted();
    const peerError = new Promise<NodeJS.ErrnoException>((resolve) => peer.once('error', resolve));
    fx.inspector.reset(id);
    expect(await until(isState(id, 'closed'))).toMatchObject({ cause: 'reset' });
    expect((await within(peerError, 3000, 'peer error')).code).toBe('ECONNRESET');
  });

  it('pause stops reading until resume; flow events say so', async () => {
    const silent = teardown.add(await silentServer());
    const echo = teardown.add(await echoServer());
    const id = await connectTo(silent.port);
    const peer = await silent.accepted();
    expect(fx.inspector.pause(id)).toMatchObject({ paused: true });
    expect(fx.inspector.pause(id)).toMatchObject({ paused: true }); // no second event
    await new Promise<void>((resolve) => peer.write('held', () => resolve()));
    await roundTrip(echo.port);
    expect(fx.inspector.getConnection(id).chunksIn).toBe(0);
    expect(fx.inspector.resume(id)).toMatchObject({ paused: false });
    const data = await until(dataIn(id, 1));
    expect(Buffer.from(data.data, 'base64').toString()).toBe('held');
    expect(
      eventsOf(id)
        .filter(isType('socket/flow'))
        .map((e) => e.paused),
    ).toEqual([true, false]);
  });

  it('setOptions applies noDelay and keepAlive and emits socket/config', async () => {
    const silent = teardown.add(await silentServer());
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: silent.port, noDelay: true });
    expect(row).toMatchObject({ noDelay: true, keepAlive: false });
    await until(isState(row.id, 'open'));
    expect(fx.inspector.setOptions(row.id, { keepAlive: true, keepAliveDelayMs: 1000 })).toMatchObject({
      noDelay: true,
      keepAlive: true,
    });
    expect(fx.inspector.setOptions(row.id, { noDelay: false })).toMatchObject({ noDelay: false, keepAlive: true });
    expect(
      eventsOf(row.id)
        .filter(isType('socket/config'))
        .map((e) => [e.changed, e.noDelay, e.keepAlive]),
    ).toEqual([
      ['options', true, true],
      ['options', false, true],
    ]);
  });

  it('unknown ids are not found; a terminal connection refuses every action', async () => {
    const silent = teardown.add(await silentServer());
    const notFound = expect.objectContaining({ code: 'CONNECTION_NOT_FOUND', statusCode: 404 });
    await expect(fx.inspector.send('c-99', { data: 'x' })).rejects.toMatchObject({
      code: 'CONNECTION_NOT_FOUND',
      statusCode: 404,
    });
    for (const act of [
      () => fx.inspector.shutdown('c-99'),
      () => fx.inspector.close('c-99'),
      () => fx.inspector.reset('c-99'),
      () => fx.inspector.pause('c-99'),
      () => fx.inspector.resume('c-99'),
      () => fx.inspector.setOptions('c-99', {}),
      () => fx.inspector.getConnection('c-99'),
      () => fx.inspector.chunks('c-99', {}),
      () => fx.inspector.getConnection('l-1'),
    ]) {
      expect(act).toThrow(notFound);
    }
    await expect(fx.inspector.waitSettled('c-99', 10)).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    expect(() => fx.inspector.getListener('l-9')).toThrow(expect.objectContaining({ code: 'LISTENER_NOT_FOUND' }));
    await expect(fx.inspector.closeListener('l-9', { connections: 'keep' })).rejects.toMatchObject({
      code: 'LISTENER_NOT_FOUND',
    });

    const id = await connectTo(silent.port);
    fx.inspector.reset(id);
    await until(isState(id, 'closed'));
    await expect(fx.inspector.send(id, { data: 'x' })).rejects.toMatchObject({ code: 'NOT_WRITABLE', statusCode: 409 });
    for (const act of ['shutdown', 'close', 'reset', 'pause', 'resume'] as const) {
      expect(() => fx.inspector[act](id)).toThrow(expect.objectContaining({ code: 'INVALID_STATE', statusCode: 409 }));
    }
    expect(() => fx.inspector.setOptions(id, { noDelay: true })).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
  });

  it('send is refused while connecting, and after our own shutdown', async () => {
    const silent = teardown.add(await silentServer());
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: silent.port });
    await expect(fx.inspector.send(row.id, { data: 'x' })).rejects.toMatchObject({ code: 'NOT_WRITABLE' });
    await until(isState(row.id, 'open'));
    expect(fx.inspector.shutdown(row.id).state).toBe('half-closed-local');
    await expect(fx.inspector.send(row.id, { data: 'x' })).rejects.toMatchObject({ code: 'NOT_WRITABLE' });
    expect(() => fx.inspector.shutdown(row.id)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    // our FIN is out: an RST is no longer possible, close is
    expect(() => fx.inspector.reset(row.id)).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE', message: expect.stringContaining('FIN') }),
    );
    fx.inspector.close(row.id);
    expect(await until(isState(row.id, 'closed'))).toMatchObject({ from: 'half-closed-local', cause: 'close' });
  });

  it('rejects bad input with BAD_REQUEST and creates nothing', () => {
    const bad = [
      { host: '', port: 80 },
      { host: '127.0.0.1', port: 0 },
      { host: '127.0.0.1', port: 80, localAddress: 'not-an-ip' },
      { host: '127.0.0.1', port: 80, timeoutMs: 0 },
      { host: '127.0.0.1', port: 80, retry: { attempts: 0 } },
    ];
    for (const body of bad)
      expect(() => fx.inspector.openConnection(body)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(fx.inspector.sockets().connections).toEqual([]);
    expect(fx.inspector.events({}).lastSeq).toBe(0);
  });

  it('waitSettled resolves at open, or with the row as it is after maxMs', async () => {
    const silent = teardown.add(await silentServer());
    const row = fx.inspector.openConnection({ host: '127.0.0.1', port: silent.port });
    expect((await fx.inspector.waitSettled(row.id, 3000)).state).toBe('open');
    expect((await fx.inspector.waitSettled(row.id, 0)).state).toBe('open');
  });
});
