// Regexes run on a peer's bytes on the event loop: a catastrophic-backtracking bait to a responder, a 1 MiB bait to a
// regex expect, and the largest pattern the size cap admits fed 1 MiB must not stall the server. A real app on a real
// port, real peers (Node net), while GET /api/health is polled back to back; answers are judged by
// test/helpers/responsive.ts.
import { Worker } from 'node:worker_threads';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compileRegex, LINEAR_TIME_NOTE, MAX_REGEX_INSTRUCTIONS, type InspectorEvent } from '../../../shared';
import { InspectorError } from '../../../backend/inspector/errors';
import { useApp } from '../../helpers/app-fixture';
import { dial, within } from '../../helpers/loopback';
import { expectResponsive, pollHealth } from '../../helpers/responsive';

/** `^(a+)+$` backtracks 2^n ways on n a's and a '!': 31 a's took a backtracking engine ~10 s. */
const REDOS_BAIT = `${'a'.repeat(31)}!`;

/** The largest `shape(n)` the size cap admits: exactly MAX_REGEX_INSTRUCTIONS instructions. */
function largest(shape: (n: number) => string): string {
  for (let n = MAX_REGEX_INSTRUCTIONS; n > 0; n--) {
    const c = compileRegex(shape(n));
    if (c.ok && c.re.programSize() === MAX_REGEX_INSTRUCTIONS) return shape(n);
  }
  throw new Error(`no ${shape(1)} compiles to exactly ${MAX_REGEX_INSTRUCTIONS} instructions`);
}

// Each thread of these stays alive on the bait below, so a byte costs one step per instruction: the worst shapes found
// (shared/safe-regex.ts). The group inside a repeat costs the responder's NFA twice as much as a plain repeat.
const WORD_RUN = largest((n) => `\\w{${n}}\\W`);
const GROUP_REPEAT = largest((n) => `(.{${n}})+Z`);

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
const { port, bait, fin, replyBytes } = workerData;
let got = 0;
const s = net.connect({ host: '127.0.0.1', port }, () => parentPort.postMessage('connected'));
s.on('error', (err) => parentPort.postMessage('error: ' + err.message));
s.on('data', (b) => {
  got += b.length;
  if (got >= replyBytes && got - b.length < replyBytes) parentPort.postMessage('replied');
});
parentPort.once('message', () => {
  const done = () => parentPort.postMessage('sent');
  if (fin) s.end(Buffer.from(bait), done);
  else s.write(Buffer.from(bait), done);
});`;

interface BaitOptions {
  /** Send the FIN after the bait. */
  fin?: boolean;
  /** `replied` resolves once the peer has read this many bytes back. */
  replyBytes?: number;
}

/**
 * A Node net peer in a worker thread of its own, so writing the bait takes nothing from the event loop whose answers
 * are timed. Connects; go() writes the bait (and its FIN when asked) and resolves once Node took it.
 */
async function baitPeer(port: number, bait: Buffer, { fin = true, replyBytes = Infinity }: BaitOptions = {}) {
  const worker = new Worker(BAIT_PEER, { eval: true, workerData: { port, bait, fin, replyBytes } });
  const waiting = new Map<string, () => void>();
  let failed: (err: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failed = reject));
  failure.catch(() => {}); // seen by whoever waits
  worker.on('message', (m: string) => (m.startsWith('error') ? failed(new Error(m)) : waiting.get(m)?.()));
  worker.on('error', failed);
  const next = (what: string, ms: number) =>
    within(
      Promise.race([new Promise<void>((resolve) => waiting.set(what, resolve)), failure]),
      ms,
      `the peer: ${what}`,
    );
  await next('connected', 10_000);
  const replied = next('replied', 20_000);
  replied.catch(() => {}); // awaited only by the tests that ask for replies
  return {
    go: () => {
      const sent = next('sent', 20_000);
      worker.postMessage('go');
      return sent;
    },
    replied,
    close: () => worker.terminate(),
  };
}

// Each of these moves a MiB through a real app and a worker thread's peer, on a machine whose 2 cores other test files
// share: vitest's default 5 s would be a guess. Inner waits are 20 s at most.
/** The error an expect fails with once the peer's FIN ends it; a match is itself the failure, named by `ifMatched`. */
const failureOf = (pending: Promise<unknown>, ifMatched: string): Promise<unknown> =>
  within(
    pending.then(
      () => new Error(ifMatched),
      (e: unknown) => e,
    ),
    20_000,
    'the expect to fail once the peer sent its FIN',
  );

describe('a peer cannot stall the server through a regex', { timeout: 30_000 }, () => {
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
    const peer = await baitPeer(listener.json.local.port as number, Buffer.alloc(baitBytes, '7'));
    onTestFinished(() => void peer.close());
    const opened = await stream.waitFor<Opened>((f) => f.type === 'socket/opened' && f.connection.parent === lid);
    // Not listening while the bait flows: this process would spend its time reading a MiB of data frames.
    stream.close();

    const poll = await pollHealth(app.baseUrl);
    // Called in process so the wait is registered before the first digit arrives: the bait is matched read by read.
    const pending = app.app.inspector.expect(opened.id, { regex: '\\d+\\s*END', timeoutMs: 60_000 });
    await peer.go(); // the digits, then the FIN, which ends the expect at once: no more bytes can arrive
    const err = await failureOf(pending, 'the expect matched without END');
    const times = await poll.stop();

    expect(err).toBeInstanceOf(InspectorError);
    expect(err).toMatchObject({ code: 'EXPECT_TIMEOUT', statusCode: 408 });
    const message = (err as InspectorError).message;
    expect(message).toContain(`but the peer of ${opened.id} sent its FIN: no more bytes can arrive`);
    expect(message).toContain(`${baitBytes.toLocaleString('en-US')} bytes arrived after the cursor`);
    expect(message).toMatch(/the regex keeps at most 1048576 bytes: those before stream offset \d+ left its window/);
    expectResponsive(times);
  });
  it(`responder rule ${WORD_RUN} (the size cap) on 16 lines of 64 KiB it does not match: health stays responsive`, async () => {
    const app = await fx.start();
    const listener = await app.api('POST', '/api/listeners', { port: 0 });
    const lid = listener.json.id as string;
    const put = async (what: string, body: unknown) =>
      expect((await app.api('PUT', `/api/listeners/${lid}/${what}`, body)).status).toBe(200);
    await put('framing', { framing: { kind: 'delimiter', delimiter: '\\n' } });
    await put('responders', { rules: [{ match: { regex: WORD_RUN }, reply: { data: 'hit' } }] });
    // No line holds a non-word byte, so every thread lives to the end of each line and none matches: RE2's NFA (which
    // finds groups) took ~55 ms a line, several lines per turn of the event loop; the DFA pass before it, ~1 ms. The
    // short last line matches: its reply ends the wait. (A long line that matches still costs the NFA: see
    // shared/safe-regex.ts.)
    const lines = `${'a'.repeat(64 * 1024 - 1)}\n`.repeat(16);
    const peer = await baitPeer(listener.json.local.port as number, Buffer.from(`${lines}${'a'.repeat(40)}!\n`), {
      replyBytes: 'hit\n'.length,
    });
    onTestFinished(() => void peer.close());

    const poll = await pollHealth(app.baseUrl);
    await peer.go();
    await peer.replied;
    const times = await poll.stop();

    const view = await app.api('GET', `/api/listeners/${lid}/responders`);
    expect(view.json.rules[0].hits).toBe(1);
    expectResponsive(times);
  });

  it.each([WORD_RUN, GROUP_REPEAT])(
    'expect regex %s (the size cap) fed 1 MiB it never matches: health stays responsive',
    async (regex) => {
      const app = await fx.start();
      const stream = await app.stream();
      const listener = await app.api('POST', '/api/listeners', { port: 0 });
      const lid = listener.json.id as string;
      const peer = await baitPeer(listener.json.local.port as number, Buffer.alloc(1 << 20, 'a'));
      onTestFinished(() => void peer.close());
      const opened = await stream.waitFor<Opened>((f) => f.type === 'socket/opened' && f.connection.parent === lid);
      stream.close(); // as above: not reading a MiB of data frames here

      const poll = await pollHealth(app.baseUrl);
      const pending = app.app.inspector.expect(opened.id, { regex, timeoutMs: 60_000 });
      await peer.go(); // every thread stays alive on a's; the FIN ends the expect
      const err = await failureOf(pending, 'the expect matched a run of a');
      const times = await poll.stop();

      expect(err).toMatchObject({ code: 'EXPECT_TIMEOUT', statusCode: 408 });
      expectResponsive(times);
    },
  );

  it('an expect started on 4 MiB already captured matches them a slice per turn of the event loop', async () => {
    const held = 4 << 20;
    const app = await fx.start({ limits: { capturePerConnectionBytes: 2 * held, captureHeadBytes: 0 } });
    const listener = await app.api('POST', '/api/listeners', { port: 0 });
    const lid = listener.json.id as string;
    const inspector = app.app.inspector;
    let id = '';
    let captured = 0;
    let arrived: () => void = () => {};
    const all = new Promise<void>((resolve) => (arrived = resolve));
    const sub = inspector.subscribe((e) => {
      if (e.type === 'socket/opened' && e.connection.parent === lid) id = e.id;
      if (e.type === 'socket/data' && e.id === id && e.direction === 'in' && (captured += e.length) === held) arrived();
    });
    onTestFinished(() => sub.unsubscribe());
    // The one match is at the very end: the whole history goes through the regex first. No FIN: the connection stays.
    const peer = await baitPeer(listener.json.local.port as number, Buffer.from(`${'a'.repeat(held - 1)} `), {
      fin: false,
    });
    onTestFinished(() => void peer.close());
    await peer.go();
    await within(all, 20_000, 'the 4 MiB to be captured');

    // The longest the event loop went without a turn while the history was matched. On the previous code the whole
    // pass was one synchronous call (~0.7 s of CPU here); a slice is 64 KiB (~15 ms at the size cap). 100 ms (the
    // issue's bound) leaves room for this machine's hiccups.
    let longest = 0;
    let last = performance.now();
    let ticking = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const poll = await pollHealth(app.baseUrl);
    last = performance.now();
    const reply = await within(inspector.expect(id, { regex: WORD_RUN, timeoutMs: 20_000 }), 20_000, 'the match');
    ticking = false;
    const times = await poll.stop();

    expect(reply.match).toMatchObject({ end: held });
    expect(longest).toBeLessThan(100);
    expectResponsive(times);
  });
});

describe('patterns too large to match in bounded time are refused', () => {
  const words = (size: number) =>
    `patterns larger than ${MAX_REGEX_INSTRUCTIONS} RE2 instructions are not supported (this one has ${size}: ` +
    `each byte costs time in proportion to them, and x{n} counts as n copies of x): ${LINEAR_TIME_NOTE}`;

  it('400 BAD_REQUEST naming the field: a responder rule and an expect; the cap itself is accepted', async () => {
    const { app, listenerId, connectionId } = await listenerWithClient();
    const rules = await app.api('PUT', `/api/listeners/${listenerId}/responders`, {
      rules: [{ match: { regex: WORD_RUN } }, { match: { regex: '\\w{500}\\W' } }],
    });
    expect(rules.status).toBe(400);
    expect(rules.json.error).toEqual({
      code: 'BAD_REQUEST',
      field: 'rules[1].match.regex',
      message: `rules[1].match.regex: ${words(503)}`,
    });
    const exp = await app.api('POST', `/api/connections/${connectionId}/expect`, { regex: '[^Z]{1000}Z' });
    expect(exp.status).toBe(400);
    expect(exp.json.error).toEqual({ code: 'BAD_REQUEST', field: 'regex', message: `regex: ${words(1003)}` });
    // Refused means nothing changed: the listener still has no rules.
    expect((await app.api('GET', `/api/listeners/${listenerId}/responders`)).json).toMatchObject({ rules: [] });
    const ok = await app.api('PUT', `/api/listeners/${listenerId}/responders`, {
      rules: [{ match: { regex: WORD_RUN } }],
    });
    expect(ok.status).toBe(200);
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
