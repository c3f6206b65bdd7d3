// A row's settings changed over REST reach every watcher: socket/config and listener/config on the real WebSocket,
// in the event log, and in a fresh snapshot.
import { describe, expect, it } from 'vitest';
import type { EventOf, InspectorEvent, StreamFrame } from '../../../shared';
import { useApp } from '../../helpers/app-fixture';
import { dial } from '../../helpers/loopback';

type SocketConfig = EventOf<'socket/config'>;
type ListenerConfig = EventOf<'listener/config'>;

const fx = useApp();
const configOf =
  (id: string) =>
  (f: StreamFrame): f is SocketConfig | ListenerConfig =>
    (f.type === 'socket/config' || f.type === 'listener/config') && f.id === id;

/** A listener and the connection it accepted from a plain Node client, with a stream opened before either. */
async function acceptedConnection(listenBody: Record<string, unknown> = {}) {
  const s = await fx.start();
  const stream = await s.stream();
  const listener = await s.api('POST', '/api/listeners', { port: 0, ...listenBody });
  expect(listener.status).toBe(201);
  fx.sockets.push(await dial(listener.json.local.port as number));
  const opened = await stream.waitFor<EventOf<'socket/opened'>>(
    (f) => f.type === 'socket/opened' && f.connection.parent === listener.json.id,
  );
  return { s, stream, listener: listener.json.id as string, id: opened.id, opened };
}

describe('live row settings over REST', () => {
  it('framing, responders and options of a connection each emit socket/config with all its settings', async () => {
    const { s, stream, id } = await acceptedConnection();
    const configs = () => stream.events.filter(configOf(id)) as SocketConfig[];

    expect(
      (await s.api('PUT', `/api/connections/${id}/framing`, { framing: { kind: 'fixed', size: 16 } })).status,
    ).toBe(200);
    await stream.waitFor((f) => configOf(id)(f) && (f as SocketConfig).changed === 'framing');

    const rules = [{ match: { equals: 'PING' }, reply: { data: 'PONG' } }, { reply: { data: '?' } }];
    expect((await s.api('PUT', `/api/connections/${id}/responders`, { rules })).status).toBe(200);
    await stream.waitFor((f) => configOf(id)(f) && (f as SocketConfig).changed === 'responders');

    expect((await s.api('POST', `/api/connections/${id}/options`, { noDelay: true, keepAlive: true })).status).toBe(
      200,
    );
    await stream.waitFor((f) => configOf(id)(f) && (f as SocketConfig).changed === 'options');

    expect(
      configs().map(({ changed, framing, responders, noDelay, keepAlive, closeOnPeerFin }) => ({
        changed,
        framing,
        responders,
        noDelay,
        keepAlive,
        closeOnPeerFin,
      })),
    ).toEqual([
      {
        changed: 'framing',
        framing: { kind: 'fixed', size: 16 },
        responders: { mode: 'off', rules: 0 },
        noDelay: false,
        keepAlive: false,
        closeOnPeerFin: false,
      },
      {
        changed: 'responders',
        framing: { kind: 'fixed', size: 16 },
        responders: { mode: 'rules', rules: 2 },
        noDelay: false,
        keepAlive: false,
        closeOnPeerFin: false,
      },
      {
        changed: 'options',
        framing: { kind: 'fixed', size: 16 },
        responders: { mode: 'rules', rules: 2 },
        noDelay: true,
        keepAlive: true,
        closeOnPeerFin: false,
      },
    ]);

    // The log holds the same events, and a page opened now starts from rows that already carry the settings.
    const logged = (await s.api('GET', `/api/events?id=${id}`)).json.events as InspectorEvent[];
    expect(logged.filter(configOf(id))).toEqual(configs());
    const late = await s.stream();
    const row = late.snapshot!.sockets.connections.find((c) => c.id === id)!;
    expect(row).toMatchObject({
      framing: { kind: 'fixed', size: 16 },
      responders: { mode: 'rules', rules: 2 },
      noDelay: true,
      keepAlive: true,
      closeOnPeerFin: false,
    });

    // Clearing: framing null and responders off are changes too.
    const last = configs().at(-1)!.seq;
    await s.api('PUT', `/api/connections/${id}/framing`, { framing: null });
    await s.api('PUT', `/api/connections/${id}/responders`, { mode: 'off' });
    const off = await stream.waitFor<SocketConfig>(
      (f) => configOf(id)(f) && f.seq > last && (f as SocketConfig).changed === 'responders',
    );
    expect(off).toMatchObject({ framing: null, responders: { mode: 'off', rules: 0 } });
  });

  it('a capture head set over POST .../options is carried by socket/config and listener/config', async () => {
    const { s, stream, listener, id } = await acceptedConnection();
    expect((await s.api('POST', `/api/connections/${id}/options`, { captureHeadBytes: 4096 })).status).toBe(200);
    const socketConfig = await stream.waitFor<SocketConfig>(
      (f) => configOf(id)(f) && (f as SocketConfig).changed === 'options',
    );
    expect(socketConfig.captureHeadBytes).toBe(4096);
    expect((await s.api('GET', `/api/connections/${id}`)).json.captureHeadBytes).toBe(4096);

    expect((await s.api('POST', `/api/listeners/${listener}/options`, { captureHeadBytes: 8192 })).status).toBe(200);
    const listenerConfig = await stream.waitFor<ListenerConfig>(
      (f) => configOf(listener)(f) && (f as ListenerConfig).changed === 'options',
    );
    expect(listenerConfig).toMatchObject({ type: 'listener/config', captureHeadBytes: 8192 });
    expect((await s.api('GET', `/api/listeners/${listener}`)).json.captureHeadBytes).toBe(8192);
  });

  it('a refused change emits nothing', async () => {
    const { s, stream, id } = await acceptedConnection();
    const bad = await s.api('PUT', `/api/connections/${id}/framing`, {
      framing: { kind: 'delimiter', delimiter: '\\q' },
    });
    expect(bad.status).toBe(400);
    const badRegex = await s.api('PUT', `/api/connections/${id}/responders`, { rules: [{ match: { regex: '(' } }] });
    expect(badRegex.status).toBe(400);
    // A good change afterwards is the first config event the stream sees for this row.
    await s.api('POST', `/api/connections/${id}/options`, { noDelay: true });
    await stream.waitFor(configOf(id));
    expect(stream.events.filter(configOf(id)).map((e) => (e as SocketConfig).changed)).toEqual(['options']);
  });

  it('a listener announces listener/config, and the connections it accepts afterwards carry the settings', async () => {
    const { s, stream, listener, opened } = await acceptedConnection({ closeOnPeerFin: true });
    expect(opened.connection).toMatchObject({
      framing: null,
      responders: { mode: 'off', rules: 0 },
      closeOnPeerFin: true,
    });

    await s.api('PUT', `/api/listeners/${listener}/framing`, { framing: { kind: 'delimiter', delimiter: '\\n' } });
    await s.api('PUT', `/api/listeners/${listener}/responders`, { mode: 'echo' });
    await stream.waitFor((f) => configOf(listener)(f) && (f as ListenerConfig).changed === 'responders');
    expect(
      stream.events.filter(configOf(listener)).map(({ type, changed, framing, responders, closeOnPeerFin }) => ({
        type,
        changed,
        framing,
        responders,
        closeOnPeerFin,
      })),
    ).toEqual([
      {
        type: 'listener/config',
        changed: 'framing',
        framing: { kind: 'delimiter', delimiter: '\\n' },
        responders: { mode: 'off', rules: 0 },
        closeOnPeerFin: true,
      },
      {
        type: 'listener/config',
        changed: 'responders',
        framing: { kind: 'delimiter', delimiter: '\\n' },
        responders: { mode: 'echo', rules: 0 },
        closeOnPeerFin: true,
      },
    ]);
    const row = (await s.api('GET', `/api/listeners/${listener}`)).json;
    expect(row).toMatchObject({ framing: { kind: 'delimiter', delimiter: '\\n' }, responders: { mode: 'echo' } });

    const port = row.local.port as number;
    fx.sockets.push(await dial(port));
    const second = await stream.waitFor<EventOf<'socket/opened'>>(
      (f) => f.type === 'socket/opened' && f.connection.parent === listener && f.id !== opened.id,
    );
    expect(second.connection).toMatchObject({
      framing: { kind: 'delimiter', delimiter: '\\n' },
      responders: { mode: 'echo', rules: 0 },
      closeOnPeerFin: true,
    });
  });
});
