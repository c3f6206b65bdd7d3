// Regexes run on a peer's bytes on the event loop: a catastrophic-backtracking bait to a responder, and a 1 MiB bait
// to a regex expect, must not stall the server. A real app on a real port, real peers (Node net), while GET
// /api/health is polled back to back; answers are judged by test/helpers/responsive.ts.
import { Worker } from 'node:worker_threads';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { InspectorEvent } from '../../../shared';
import { InspectorError } from '../../../backend/inspector/errors';
import { useApp } from '../../helpers/app-fixture';
import { dial, within } from '../../helpers/loopback';
import { expectResponsive, pollHealth } from '../../helpers/responsive';

/** `^(a+)+$` backtracks 2^n ways on n a's and a '!': 31 a's took a backtracking engine ~10 s. */
const REDOS_BAIT = `${'a'.repeat(31)}!`;

type Opened = Extract<InspectorEvent, { type: 'socket/opened' }>;

const fx = useApp();

async function listenerWithClient() {
  const app = await fx.start();
  const stream = await app.stream();
  const listener = await app.api('POST', '/api/listeners', { port: 0 });
  expect(listener.status).toBe(201);
  const id = listener.json.id as string;
  fx.sockets.push(await dial(listener.json.local.port as number));
  const opened = await stream.waitFor<Opened>((f) => f.type === 'socket/opened' && f.connection.parent === id);
  return { app, listenerId: id, connectionId: opened.id };
}

const BAIT_PEER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const s = net.connect({ host: '127.0.0.1', port: workerData.port }, () => parentPort.postMessage('connected'));
s.on('error', (err) => parentPort.postMessage('error: ' + err.message));
parentPort.once('message', () => s.end(Buffer.alloc(workerData.bytes, '7'), () => parentPort.postMessage('sent')));`;

/**
 * A Node net peer in a worker thread of its own, so writing the bait takes nothing from the event loop whose answers
 * are timed. Connects; on go() writes `bytes` digits and its FIN.
 */
async function baitPeer(port: number, bytes: number) {
  const worker = new Worker(BAIT_PEER, { eval: true, workerData: { port, bytes } });
  const next = () =>
    within(
      new Promise<string>((resolve, reject) => {
        worker.once('message', (m: string) => (m.startsWith('error') ? reject(new Error(m)) : resolve(m)));
        worker.once('error', reject);
      }),
      10_000,
      'the bait peer',
    );
  await next();
  return {
    go: () => {
      const sent = next();
      worker.postMessage('go');
      return sent;
    },
    close: () => worker.terminate(),
  };
}

describe('a peer cannot stall the server through a regex', () => {
  it('responder regex ^(a+)+$ with the bait a...a! : health answers within 100 ms, the next message is answered', async () => {
    const app = await fx.start();
    const listener = await app.api('POST', '/api/listeners', { port: 0 });
    const lid = listener.json.id as string;
    const put = async (what: string, body: unknown) =>
      expect((await app.api('PUT', `/api/listeners/${lid}/${what}`, body)).status).toBe(200);
    // Framed by lines, so the bait and the message after it are two units, matched in order.
    await put('framing', { framing: { kind: 'delimiter', delimiter: '\\n' } });
    await put('responders', { rules: [{ match: { regex: '^(a+)+$' }, reply: { data: 'matched' } }] });
    const client = await dial(listener.json.local.port as number);
    fx.sockets.push(client);
    let got = '';
    const answered = new Promise<void>((resolve) =>
      client.on('data', (b: Buffer) => {
        got += b.toString();
        if (got.includes('\n')) resolve();
      }),
    );

    const poll = await pollHealth(app.baseUrl);
    client.write(`${REDOS_BAIT}\naaa\n`);
    await within(answered, 5000, 'the reply to "aaa", matched after the bait');
    const times = await poll.stop();

    expect(got).toBe('matched\n');
    const view = await app.api('GET', `/api/listeners/${lid}/responders`);
    expect(view.json.rules[0].hits).toBe(1);
    expectResponsive(times);
  });

  it('expect regex \\d+\\s*END fed 1 MiB of digits: health answers within 100 ms, the 408 says what left the window', async () => {
    const app = await fx.start();
    const stream = await app.stream();
    const listener = await app.api('POST', '/api/listeners', { port: 0 });
    const lid = listener.json.id as string;
    // Past 1 MiB (twice EXPECT_REGEX_LOOKBACK_BYTES), so the oldest digits leave the window.
    const baitBytes = (1 << 20) + (1 << 16);
    const peer = await baitPeer(listener.json.local.port as number, baitBytes);
    onTestFinished(() => void peer.close());
    const opened = await stream.waitFor<Opened>((f) => f.type === 'socket/opened' && f.connection.parent === lid);
    // Not listening while the bait flows: this process would spend its time reading a MiB of data frames.
    stream.close();

    const poll = await pollHealth(app.baseUrl);
    // Called in process so the wait is registered before the first digit arrives: the bait is matched read by read.
    const pending = app.app.inspector.expect(opened.id, { regex: '\\d+\\s*END', timeoutMs: 60_000 });
    await peer.go(); // the digits, then the FIN, which ends the expect at once: no more bytes can arrive
    const err = await within(
      pending.then(
        () => new Error('the expect matched without END'),
        (e: unknown) => e,
      ),
      30_000,
      'the expect to fail once the peer sent its FIN',
    );
    const times = await poll.stop();

    expect(err).toBeInstanceOf(InspectorError);
    expect(err).toMatchObject({ code: 'EXPECT_TIMEOUT', statusCode: 408 });
    const message = (err as InspectorError).message;
    expect(message).toContain(`but the peer of ${opened.id} sent its FIN: no more bytes can arrive`);
    expect(message).toContain(`${baitBytes.toLocaleString('en-US')} bytes arrived after the cursor`);
    expect(message).toMatch(/the regex keeps at most 1048576 bytes: those before stream offset \d+ left its window/);
    expectResponsive(times);
  });
});

describe('patterns RE2 cannot run are refused, in the same words everywhere', () => {
  const words =
    'back-references (\\1) are not supported: sockscope runs patterns in linear time (RE2 syntax) so no peer input can stall it';

  it('400 BAD_REQUEST naming the field: a responder rule and an expect', async () => {
    const { app, listenerId, connectionId } = await listenerWithClient();
    const rules = await app.api('PUT', `/api/listeners/${listenerId}/responders`, {
      rules: [{ match: { equals: 'x' } }, { match: { regex: '(a)\\1' } }],
    });
    expect(rules.status).toBe(400);
    expect(rules.json.error).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'rules[1].match.regex',
      message: `rules[1].match.regex: ${words}`,
    });
    const exp = await app.api('POST', `/api/connections/${connectionId}/expect`, { regex: '(a)\\1', timeoutMs: 0 });
    expect(exp.status).toBe(400);
    expect(exp.json.error).toMatchObject({ code: 'BAD_REQUEST', field: 'regex', message: `regex: ${words}` });
    const look = await app.api('POST', `/api/connections/${connectionId}/expect`, { regex: 'a(?=b)' });
    expect(look.json.error.message).toBe(
      'regex: lookahead (?=...) is not supported: sockscope runs patterns in linear time (RE2 syntax) so no peer input can stall it',
    );
  });
});
