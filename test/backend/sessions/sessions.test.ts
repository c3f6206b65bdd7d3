// Sessions on real loopback sockets: membership (accepted connections inherit), the report, and DELETE leaving no
// socket behind in the kernel's table; unknown and closed sessions refuse to open anything.
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { SessionReportSchema, SessionSchema, type EventOf, type InspectorEvent } from '../../../shared';
import { MAX_SESSIONS } from '../../../backend/sessions/sessions';
import { KernelReader } from '../../../backend/kernel/kernel-reader';
import { dial, isState, isType, refusedPort } from '../../helpers/loopback';
import { useInspector } from '../../helpers/inspector-fixture';

const fx = useInspector(5000);
const { until } = fx;
const checkSession = Compile(SessionSchema);
const checkReport = Compile(SessionReportSchema);
/** The kernel's rows on this port, from a fresh read of /proc/net/tcp* (no cache in between). */
const onPort = async (port: number) =>
  (await new KernelReader().read()).table
    .entries()
    .filter((e) => e.localPort === port || e.remotePort === port)
    .map((e) => e.state)
    .sort();
const dataIn =
  (id: string) =>
  (e: InspectorEvent): e is EventOf<'socket/data'> =>
    e.type === 'socket/data' && e.id === id && e.direction === 'in';
const acceptedBy =
  (listenerId: string) =>
  (e: InspectorEvent): e is EventOf<'socket/opened'> =>
    e.type === 'socket/opened' && e.connection.parent === listenerId;

/** A session with a listener and a client of it, both sockscope's; the accepted end found. */
async function sessionPair() {
  const session = fx.inspector.createSession({ name: 'pair' });
  const listener = await fx.inspector.listen({ port: 0, session: session.id });
  const client = fx.inspector.openConnection({ host: '127.0.0.1', port: listener.local.port, session: session.id });
  await until(isState(client.id, 'open'));
  const accepted = (await until(acceptedBy(listener.id))).id;
  return { session: session.id, listener, client: client.id, accepted };
}

describe('sessions', () => {
  it('create, get and list', () => {
    const s = fx.inspector.createSession({ name: 'smoke test' });
    expect(checkSession.Check(s)).toBe(true);
    expect(s).toMatchObject({ id: 's-1', name: 'smoke test', closedAt: null, listeners: [], connections: [] });
    expect(fx.inspector.getSession('s-1')).toEqual(s);
    fx.inspector.createSession({ name: 'other' });
    expect(fx.inspector.sessions().sessions.map((x) => x.id)).toEqual(['s-1', 's-2']);
  });

  it('rows carry their session; accepted connections inherit their listener’s', async () => {
    const { session, listener, client, accepted } = await sessionPair();
    expect(listener.session).toBe(session);
    expect(fx.inspector.getConnection(client).session).toBe(session);
    expect(fx.inspector.getConnection(accepted)).toMatchObject({ session, parent: listener.id });
    const opened = fx.inspector.events({ id: accepted }).events.find((e) => e.type === 'socket/opened');
    expect(opened?.type === 'socket/opened' && opened.connection.session).toBe(session);
    expect(fx.inspector.getSession(session)).toMatchObject({
      listeners: [listener.id],
      connections: [client, accepted],
    });
    const outsider = fx.inspector.openConnection({ host: '127.0.0.1', port: listener.local.port });
    expect(outsider.session).toBeUndefined();
    await until(isState(outsider.id, 'open'));
    const third = (await until((e): e is EventOf<'socket/opened'> => acceptedBy(listener.id)(e) && e.id !== accepted))
      .id;
    // Dialled from outside, accepted by the session's listener: the accepted end is the session's, the client is not.
    expect(fx.inspector.getSession(session).connections).toEqual([client, accepted, third]);
  });

  it('the report counts sockets, bytes and faults (errno, syscall, state)', async () => {
    const { session, client, accepted } = await sessionPair();
    await fx.inspector.send(client, { data: 'hello' });
    await until(dataIn(accepted));
    await fx.inspector.send(accepted, { data: 'hi' });
    await until(dataIn(client));
    const refused = fx.inspector.openConnection({ host: '127.0.0.1', port: await refusedPort(), session });
    await until(isState(refused.id, 'failed'));
    const report = fx.inspector.sessionReport(session);
    expect(checkReport.Check(report), JSON.stringify(report)).toBe(true);
    expect(report).toMatchObject({
      id: session,
      name: 'pair',
      closedAt: null,
      listeners: 1,
      connections: { total: 3, client: 2, accepted: 1, open: 2, failed: 1 },
      bytesIn: 7,
      bytesOut: 7,
    });
    expect(report.faults).toEqual([
      expect.objectContaining({
        id: refused.id,
        code: 'ECONNREFUSED',
        errno: 111,
        syscall: 'connect',
        state: 'connecting',
      }),
    ]);
    expect(report.sockets.find((s) => s.id === client)).toEqual({
      id: client,
      kind: 'client',
      state: 'open',
      bytesIn: 2,
      bytesOut: 5,
      fault: null,
    });
    expect(report.sockets.find((s) => s.id === refused.id)).toMatchObject({ state: 'failed', fault: 'ECONNREFUSED' });
  });

  it('DELETE resets and closes everything: the kernel shows no LISTEN, ESTABLISHED or TIME_WAIT', async () => {
    const { session, listener, client, accepted } = await sessionPair();
    await fx.inspector.send(client, { data: 'x' });
    await until(dataIn(accepted));
    const port = listener.local.port;
    expect(await onPort(port)).toEqual(['ESTABLISHED', 'ESTABLISHED', 'LISTEN']);

    const report = await fx.inspector.closeSession(session);
    expect(checkReport.Check(report)).toBe(true);
    expect(report.closedAt).not.toBeNull();
    expect(report.connections.open).toBe(0);
    for (const id of [client, accepted]) expect(['closed', 'failed']).toContain(fx.inspector.getConnection(id).state);
    expect(fx.inspector.getListener(listener.id).state).toBe('closed');
    // RST on both ends: no TIME_WAIT, no FIN_WAIT, nothing at all.
    expect(await onPort(port)).toEqual([]);
    expect(fx.inspector.getSession(session).closedAt).toBe(report.closedAt);
    // Idempotent: the same final report.
    expect((await fx.inspector.closeSession(session)).closedAt).toBe(report.closedAt);
  });

  it('unknown session: 404, closed session: 409; nothing is opened', async () => {
    const count = () => {
      const s = fx.inspector.sockets();
      return s.listeners.length + s.connections.length;
    };
    expect(() => fx.inspector.getSession('s-9')).toThrow(expect.objectContaining({ code: 'SESSION_NOT_FOUND' }));
    expect(() => fx.inspector.sessionReport('s-9')).toThrow(expect.objectContaining({ statusCode: 404 }));
    await expect(fx.inspector.closeSession('s-9')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(() => fx.inspector.openConnection({ host: '127.0.0.1', port: 9, session: 's-9' })).toThrow(
      expect.objectContaining({ code: 'SESSION_NOT_FOUND', statusCode: 404 }),
    );
    await expect(fx.inspector.listen({ port: 0, session: 's-9' })).rejects.toMatchObject({ statusCode: 404 });
    const s = fx.inspector.createSession({ name: 'short' });
    await fx.inspector.closeSession(s.id);
    expect(() => fx.inspector.openConnection({ host: '127.0.0.1', port: 9, session: s.id })).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE', statusCode: 409 }),
    );
    await expect(fx.inspector.listen({ port: 0, session: s.id })).rejects.toMatchObject({ statusCode: 409 });
    expect(count()).toBe(0);
    expect(fx.inspector.events({}).events.some((e) => isType('socket/opened')(e))).toBe(false);
  });

  it(`keeps at most ${MAX_SESSIONS}: the oldest closed one is forgotten, and all open refuses a new one`, async () => {
    for (let i = 0; i < MAX_SESSIONS; i++) fx.inspector.createSession({ name: `n${i}` });
    expect(() => fx.inspector.createSession({ name: 'one too many' })).toThrow(
      expect.objectContaining({ code: 'LIMIT_REACHED', statusCode: 429 }),
    );
    await fx.inspector.closeSession('s-2');
    await fx.inspector.closeSession('s-3');
    expect(fx.inspector.createSession({ name: 'fits' }).id).toBe(`s-${MAX_SESSIONS + 1}`);
    expect(() => fx.inspector.getSession('s-2')).toThrow(expect.objectContaining({ code: 'SESSION_NOT_FOUND' }));
    expect(fx.inspector.getSession('s-3').closedAt).not.toBeNull();
    expect(fx.inspector.sessions().sessions).toHaveLength(MAX_SESSIONS);
  });

  it('a peer outside sockscope sees the session’s reset as ECONNRESET', async () => {
    const s = fx.inspector.createSession({ name: 'reset' });
    const listener = await fx.inspector.listen({ port: 0, session: s.id });
    const plain = await dial(listener.local.port);
    fx.teardown.defer(() => plain.destroy());
    const accepted = (await until(acceptedBy(listener.id))).id;
    const error = new Promise<NodeJS.ErrnoException>((resolve) => plain.once('error', resolve));
    plain.write('ping');
    await until(dataIn(accepted));
    await fx.inspector.closeSession(s.id);
    expect((await error).code).toBe('ECONNRESET');
  });
});
