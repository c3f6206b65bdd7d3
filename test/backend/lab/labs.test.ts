// Every built-in lab, run by the scenario runner on a real inspector: each must pass and show the errno, state or
// byte counts it exists to demonstrate, on the RunResult and on the rows it left behind.
import { describe, expect, it } from 'vitest';
import type { ConnectionRow, ListenerRow, RunResult } from '../../../shared';
import { runScenario } from '../../../backend/scenario/runner';
import { LAB_NAMES, labDetail, labList, labScenario } from '../../../backend/lab/catalog';
import { useInspector } from '../../helpers/inspector-fixture';
import { framingOf } from '../../../backend/framing/framing-api';

const fx = useInspector();
const LAB_TIMEOUT = 30_000;

interface Ran {
  result: RunResult;
  /** The client connection bound to `name` (found by its local port). */
  client(name: string): ConnectionRow;
  /** The connection a listener accepted from client `name`. */
  peerOf(name: string): ConnectionRow;
  /** Every listener of the run on the port bound to `name`, oldest first. */
  listeners(name: string): ListenerRow[];
  connections(): ConnectionRow[];
  step(label: RegExp): RunResult['steps'][number];
}

async function run(name: string): Promise<Ran> {
  const result = await runScenario(fx.inspector, labScenario(name), { lab: name });
  const failed = result.failedStep === null ? null : result.steps[result.failedStep];
  expect(failed, failed ? `${failed.label}: ${failed.message}` : '').toBeNull();
  expect(result).toMatchObject({ status: 'passed', lab: name, scenario: name });
  expect(result.steps.every((s) => s.status === 'ok')).toBe(true);
  // Every step ran, so every ${...} in a label was known by then: the labels show values, not templates.
  expect(result.steps.map((s) => s.label).filter((l) => l.includes('${'))).toEqual([]);
  const session = fx.inspector.getSession(result.session!);
  await fx.inspector.refreshKernel();
  const sockets = fx.inspector.sockets();
  const connections = sockets.connections.filter((c) => session.connections.includes(c.id));
  const num = (key: string) => {
    const v = result.vars[key];
    if (typeof v !== 'number') throw new Error(`no number ${key} in ${JSON.stringify(result.vars)}`);
    return v;
  };
  const one = (what: string, rows: ConnectionRow[]) => {
    expect(rows, what).toHaveLength(1);
    return rows[0]!;
  };
  return {
    result,
    connections: () => connections,
    client: (n) =>
      one(
        n,
        connections.filter((c) => c.kind === 'client' && c.local?.port === num(`${n}.localPort`)),
      ),
    peerOf: (n) =>
      one(
        `peer of ${n}`,
        connections.filter((c) => c.kind === 'accepted' && c.remote?.port === num(`${n}.localPort`)),
      ),
    listeners: (n) =>
      sockets.listeners.filter((l) => session.listeners.includes(l.id) && l.local.port === num(`${n}.port`)),
    step: (label) => {
      const found = result.steps.find((s) => label.test(s.label));
      if (!found) throw new Error(`no step ${label} in ${result.steps.map((s) => s.label).join(' | ')}`);
      return found;
    },
  };
}

const faultsOf = (id: string) =>
  fx.inspector.events({ id, limit: 1000 }).events.flatMap((e) => (e.type === 'socket/fault' ? [e.fault] : []));

describe('the catalog', () => {
  it('lists the nine labs in order, each with a title, what, why, both fixes and its YAML source', () => {
    const { labs } = labList();
    expect(labs.map((l) => l.name)).toEqual([...LAB_NAMES]);
    for (const lab of labs) {
      expect(lab.title.length).toBeGreaterThan(5);
      expect(lab.what.length).toBeGreaterThan(80);
      expect(lab.why.length).toBeGreaterThan(200);
      expect(lab.fix.python).toMatch(/socket|sock\./);
      expect(lab.fix.node.length).toBeGreaterThan(40);
      expect(lab.fix.python.endsWith('\n')).toBe(false);
      const detail = labDetail(lab.name);
      expect(detail.source).toContain(`name: ${lab.name}\n`);
      expect(detail.steps).toBe(labScenario(lab.name).steps.length);
    }
  });

  it('refuses an unknown lab with LAB_NOT_FOUND, naming the labs in one sentence', () => {
    expect(() => labDetail('no-such-lab')).toThrow(expect.objectContaining({ code: 'LAB_NOT_FOUND', statusCode: 404 }));
    expect(() => labDetail('nope')).toThrow(`no lab "nope"; the labs are ${LAB_NAMES.join(', ')}`);
  });
});

describe('each lab shows its mistake', () => {
  it(
    'connect-before-listen: ECONNREFUSED on every early attempt, then open once the server listens',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('connect-before-listen');
      expect(r.result.vars['srv.port']).toBe(r.result.vars['probe.port']);
      const cli = r.connections().find((c) => c.kind === 'client')!;
      expect(cli.attempt).toBeGreaterThan(1);
      expect(cli.attempts).toBe(12);
      const faults = faultsOf(cli.id).filter((f) => f.state === 'connecting');
      expect(faults).toHaveLength(cli.attempt - 1);
      for (const f of faults) expect(f).toMatchObject({ code: 'ECONNREFUSED', errno: 111, syscall: 'connect' });
      expect(r.listeners('srv').at(-1)!.accepted).toBe(1);
    },
  );

  it(
    'address-in-use: the second listen fails with EADDRINUSE; after close the port binds again',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('address-in-use');
      expect(r.step(/^listen second/).status).toBe('ok');
      // first and again (both closed with the session); the refused listen never became a row.
      expect(r.listeners('first').map((l) => l.state)).toEqual(['closed', 'closed']);
      // Exact comparisons are in the labels; the step passed, so the kernel showed them.
      expect(r.step(/^assert first state listening, tcpState LISTEN, accepted 1$/).status).toBe('ok');
      expect(r.step(/^assert first\.accepted\[0\] state open, tcpState ESTABLISHED$/).status).toBe('ok');
    },
  );

  it(
    'backlog-full-timeout: two connects queue unaccepted (Recv-Q 2), the third times out with ETIMEDOUT',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('backlog-full-timeout');
      const [srv] = r.listeners('srv');
      expect(srv).toMatchObject({ accept: 'never', backlog: 1, accepted: 0, state: 'closed' });
      expect(r.step(/^assert srv state listening, recvQ 2, accepted 0$/).status).toBe('ok');
      const clients = r.connections();
      expect(clients.every((c) => c.kind === 'client')).toBe(true);
      const timedOut = clients.filter((c) => c.fault?.code === 'ETIMEDOUT');
      expect(timedOut).toHaveLength(1);
      expect(timedOut[0]).toMatchObject({
        state: 'failed',
        fault: { errno: 110, syscall: 'connect', state: 'connecting' },
      });
      expect(r.step(/^connect c/).elapsedMs).toBeGreaterThanOrEqual(950);
      const reset = clients.filter((c) => c.fault?.code === 'ECONNRESET');
      expect(reset).toHaveLength(2); // the two that waited in the queue, reset when the listener closed
      for (const c of reset) expect(c.fault).toMatchObject({ errno: 104, state: 'open' });
    },
  );

  it(
    'listening-socket-misuse: ENOTCONN on the listener; accept() made two new sockets, the listener stayed LISTEN',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('listening-socket-misuse');
      expect(r.step(/^send srv .* fails ENOTCONN/).message).toContain('listener');
      const [srv] = r.listeners('srv');
      expect(srv).toMatchObject({ accepted: 2, fault: null });
      const first = r.peerOf('cli');
      const second = r.peerOf('cli2');
      expect(new Set([srv!.id, first.id, second.id]).size).toBe(3);
      for (const c of [first, second]) {
        expect(c).toMatchObject({ kind: 'accepted', parent: srv!.id });
        expect(c.local?.port).toBe(srv!.local.port); // every accepted socket shares the listener's port
      }
      expect(first.bytesOut).toBe(6);
      expect(r.client('cli').bytesIn).toBe(6);
      expect(r.step(/^assert srv state listening, tcpState LISTEN, accepted 2/).status).toBe('ok');
    },
  );

  it(
    'no-framing: one write of three messages is one read; three writes are three reads; framing gives 3 messages',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('no-framing');
      // ${vars.one}, as the run sent it.
      expect(r.step(/^send cli .* in 3 writes$/).label).toMatch(/^send cli "\{\\"id\\":4,\\"text\\":/);
      const plain = r.peerOf('cli');
      expect(plain).toMatchObject({ chunksIn: 4, bytesIn: 67 });
      const reads = fx.inspector.chunks(plain.id, { direction: 'in' }).chunks.map((c) => c.length);
      expect(reads).toEqual([24, 15, 14, 14]);
      const framed = r.peerOf('cli2');
      const messages = framingOf(fx.inspector).messages(framed.id, {}).messages;
      expect(messages.map((m) => Buffer.from(m.data, 'base64').toString())).toEqual([
        '{"id":1}',
        '{"id":2}',
        '{"id":4,"text":"one message, three writes"}',
      ]);
    },
  );

  it(
    'partial-send: the kernel held only part of 8 MiB (Send-Q, Recv-Q, queuedBytes > 0), then all of it arrived',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('partial-send');
      const stalled = r.step(/^assert cli /).message ?? '';
      const field = (name: string) => Number(new RegExp(`${name} ([0-9]+)`).exec(stalled)?.[1]);
      expect(field('queuedBytes')).toBeGreaterThan(0);
      expect(field('sendQ')).toBeGreaterThan(0);
      expect(field('queuedBytes') + field('sendQ')).toBeLessThanOrEqual(8 << 20);
      expect(
        Number(/recvQ ([0-9]+)/.exec(r.step(/^assert srv\.accepted\[0\] recvQ/).message ?? '')?.[1]),
      ).toBeGreaterThan(0);
      expect(r.client('cli')).toMatchObject({ bytesOut: 8 << 20, chunksOut: 8192 });
      expect(r.peerOf('cli').bytesIn).toBe(8 << 20);
    },
  );

  it(
    'peer-reset: ECONNRESET on read after the RST; EPIPE on the second write after the peer closed',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('peer-reset');
      expect(r.client('a')).toMatchObject({
        state: 'failed',
        fault: { code: 'ECONNRESET', errno: 104, state: 'open' },
      });
      const b = r.client('b');
      expect(b).toMatchObject({ state: 'failed', fault: { code: 'EPIPE', errno: 32, state: 'half-closed-remote' } });
      // The first write after the peer's close was accepted (and lost): exactly one fault, on the second.
      expect(faultsOf(b.id).map((f) => f.code)).toEqual(['EPIPE']);
      expect(r.peerOf('b').bytesIn).toBe(0);
    },
  );

  it(
    'half-close: the server reads EOF and sits in CLOSE_WAIT while replying; the client still reads',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('half-close');
      const server = r.peerOf('cli');
      expect(server).toMatchObject({ bytesIn: 12, bytesOut: 7, state: 'closed' });
      const states = fx.inspector
        .events({ id: server.id })
        .events.flatMap((e) => (e.type === 'socket/state' ? [e.to] : []));
      expect(states).toEqual(['half-closed-remote', 'closed']);
      expect(r.client('cli')).toMatchObject({ bytesIn: 7, state: 'closed' });
      expect(r.step(/^assert srv\.accepted\[0\] state half-closed-remote, tcpState CLOSE_WAIT$/).status).toBe('ok');
      expect(r.step(/^assert cli state half-closed-local, tcpState FIN_WAIT2$/).status).toBe('ok');
    },
  );

  it(
    'time-wait: the side that closed first is in TIME_WAIT on the server port, and the port listens again',
    { timeout: LAB_TIMEOUT },
    async () => {
      const r = await run('time-wait');
      const server = r.peerOf('cli');
      expect(server).toMatchObject({ state: 'closed', tcpState: 'TIME_WAIT' });
      expect(server.local?.port).toBe(r.result.vars['srv.port']);
      expect(r.result.vars['restarted.port']).toBe(r.result.vars['srv.port']);
      expect(r.client('cli').tcpState).not.toBe('TIME_WAIT');
      expect(r.listeners('srv').map((l) => l.state)).toEqual(['closed', 'closed']);
    },
  );

  it('leaves nothing open: after a run every socket of its session is closed', { timeout: LAB_TIMEOUT }, async () => {
    const r = await run('listening-socket-misuse');
    const report = fx.inspector.sessionReport(r.result.session!);
    expect(report.connections.open).toBe(0);
    expect(fx.inspector.sockets().listeners.every((l) => l.state !== 'listening')).toBe(true);
  });
});
