// The acceptance story over a real port: fetch for REST, the ws client for the stream, real loopback sockets.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InspectorEvent, StreamFrame } from '../../../shared';
import { startApp, type StartedApp } from '../../helpers/app';

const b64 = (s: string) => Buffer.from(s).toString('base64');
type Ev<T extends InspectorEvent['type']> = Extract<InspectorEvent, { type: T }>;
const is =
  <T extends InspectorEvent['type']>(type: T, where: (e: Ev<T>) => boolean = () => true) =>
  (f: StreamFrame): boolean =>
    f.type === type && where(f as Ev<T>);

let s: StartedApp;
beforeEach(async () => {
  s = await startApp({ uiDir: null });
});
afterEach(async () => {
  await s.close();
});

/** A port nobody listens on: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the acceptance story', () => {
  it('listen, connect, hello / world, reset: rows, states, chunks and ECONNRESET in /api/events and on the stream', async () => {
    const stream = await s.stream();
    const snapshot = await stream.waitFor((f) => f.type === 'snapshot');
    expect(snapshot).toMatchObject({ type: 'snapshot', replay: [], lagged: false, since: null });

    const listener = await s.api('POST', '/api/listeners', { port: 0 });
    expect(listener.status).toBe(201);
    expect(listener.json).toMatchObject({ state: 'listening', local: { address: '127.0.0.1' } });
    const port = listener.json.local.port as number;
    expect(port).toBeGreaterThan(0);

    const dial = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port });
    expect(dial.status).toBe(201);
    expect(dial.json).toMatchObject({ kind: 'client', state: 'open', remote: { port }, fault: null });
    const client = dial.json.id as string;

    const acceptedOpened = await stream.waitFor<Ev<'socket/opened'>>(
      is('socket/opened', (e) => e.connection.kind === 'accepted' && e.connection.parent === listener.json.id),
    );
    const accepted = acceptedOpened.id;
    expect(acceptedOpened.connection.remote?.port).toBe(dial.json.local.port);

    expect((await s.api('POST', `/api/connections/${client}/send`, { data: 'hello' })).json).toMatchObject({
      id: client,
      bytes: 5,
    });
    await stream.waitFor(
      is('socket/data', (e) => e.id === accepted && e.direction === 'in' && e.data === b64('hello')),
    );
    expect((await s.api('POST', `/api/connections/${accepted}/send`, { data: 'world' })).json.bytes).toBe(5);
    await stream.waitFor(is('socket/data', (e) => e.id === client && e.direction === 'in' && e.data === b64('world')));

    const reset = await s.api('POST', `/api/connections/${client}/reset`);
    expect(reset.status).toBe(200);
    // The reply waits for Node's 'close': it is the row as it ends up, not a row still open.
    expect(reset.json).toMatchObject({ id: client, state: 'closed', closedAt: expect.any(Number) });
    const fault = await stream.waitFor<Ev<'socket/fault'>>(is('socket/fault', (e) => e.id === accepted));
    expect(fault.fault).toMatchObject({ code: 'ECONNRESET', errno: 104, explanation: { title: expect.any(String) } });
    expect(fault.fault.explanation?.cause.length).toBeGreaterThan(10);
    await stream.waitFor(is('socket/closed', (e) => e.id === accepted));
    await stream.waitFor(is('socket/closed', (e) => e.id === client));

    // Rows as REST sees them now.
    const clientRow = (await s.api('GET', `/api/connections/${client}`)).json;
    expect(clientRow).toMatchObject({ state: 'closed', bytesOut: 5, bytesIn: 5, fault: null });
    const acceptedRow = (await s.api('GET', `/api/connections/${accepted}`)).json;
    expect(acceptedRow).toMatchObject({
      state: 'failed',
      kind: 'accepted',
      bytesIn: 5,
      bytesOut: 5,
      fault: { code: 'ECONNRESET', errno: 104 },
    });

    // Chunks, both directions, base64.
    const chunks = (await s.api('GET', `/api/connections/${client}/chunks`)).json.chunks;
    expect(chunks.map((c: { direction: string; data: string }) => [c.direction, c.data])).toEqual([
      ['out', b64('hello')],
      ['in', b64('world')],
    ]);

    // The same story in the log, and the stream saw exactly the log (no duplicates, no gaps).
    const page = (await s.api('GET', '/api/events?since=0&limit=10000')).json;
    expect(page.lagged).toBe(false);
    const logged = page.events as InspectorEvent[];
    expect(stream.events.map((e) => e.seq)).toEqual(logged.map((e) => e.seq));
    expect(stream.events).toEqual(logged);

    const story = logged
      .filter((e) => e.type !== 'socket/attempt' && e.type !== 'socket/config' && e.type !== 'socket/flow')
      .map((e) => {
        const who = e.id === client ? 'client' : e.id === accepted ? 'accepted' : 'listener';
        if (e.type === 'socket/state') return `${who} ${e.from}->${e.to}`;
        if (e.type === 'socket/data') return `${who} ${e.direction} ${Buffer.from(e.data, 'base64').toString()}`;
        if (e.type === 'socket/fault') return `${who} fault ${e.fault.code}`;
        return `${who} ${e.type}`;
      });
    const order = (...items: string[]) => items.map((item) => story.indexOf(item));
    const indexes = order(
      'listener listener/opened',
      'client socket/opened',
      'client connecting->open',
      'client out hello',
      'accepted in hello',
      'accepted out world',
      'client in world',
      'accepted fault ECONNRESET',
      'accepted open->failed',
      'accepted socket/closed',
    );
    expect(
      indexes.every((i) => i >= 0),
      story.join('\n'),
    ).toBe(true);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(story).toContain('accepted socket/opened');
    expect(story.filter((x) => x.startsWith('client ') && x.includes('->closed'))).toHaveLength(1);

    // The events filter by id.
    const onlyAccepted = (await s.api('GET', `/api/events?id=${accepted}`)).json.events as InspectorEvent[];
    expect(onlyAccepted.length).toBeGreaterThan(0);
    expect(onlyAccepted.every((e) => e.id === accepted)).toBe(true);
    stream.close();
  });
});

describe('faults via REST', () => {
  it('ECONNREFUSED (errno 111) on a closed port: ?wait=1 answers 201 with the failed row and its fault', async () => {
    const port = await closedPort();
    const res = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      state: 'failed',
      fault: { code: 'ECONNREFUSED', errno: 111, syscall: 'connect', port, explanation: { title: expect.any(String) } },
    });
  });

  it('without ?wait the row comes back at once in connecting', async () => {
    const port = await closedPort();
    const res = await s.api('POST', '/api/connections', { host: '127.0.0.1', port });
    expect(res.status).toBe(201);
    expect(res.json.state).toBe('connecting');
    expect(res.headers.get('location')).toBe(`/api/connections/${res.json.id}`);
  });

  it('EADDRINUSE: a second listener on the same port is 409 BIND_FAILED with the fault', async () => {
    const first = await s.api('POST', '/api/listeners', { port: 0 });
    const port = first.json.local.port as number;
    const second = await s.api('POST', '/api/listeners', { host: '127.0.0.1', port });
    expect(second.status).toBe(409);
    expect(second.json.error).toMatchObject({
      code: 'BIND_FAILED',
      fault: { code: 'EADDRINUSE', errno: 98, port, explanation: { title: expect.any(String) } },
    });
    expect((await s.api('GET', '/api/sockets')).json.listeners).toHaveLength(1);
  });
});
