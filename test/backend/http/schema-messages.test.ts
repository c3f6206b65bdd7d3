// One bad input reads the same wherever it comes in: a REST body (app.inject), a scenario step (POST
// /api/scenarios/validate) and a direct inspector call (scripts, the scenario runner). All three say the words of
// shared/schema-message.ts; the UI's forms say them too (test/ui/forms-connection.test.tsx).
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InspectorError } from '../../../backend/inspector/errors';
import { startApp, type StartedApp } from '../../helpers/app';
import { framingOf } from '../../../backend/framing/framing-api';

let s: StartedApp;
let peer: Server;
let peerPort: number;
let id: string;

beforeAll(async () => {
  s = await startApp({ uiDir: null });
  peer = createServer((socket) => socket.on('error', () => {}));
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  peerPort = (peer.address() as { port: number }).port;
  const opened = await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: peerPort });
  expect(opened.json.state).toBe('open');
  id = opened.json.id as string;
});

afterAll(async () => {
  await s.close();
  await new Promise((resolve) => peer.close(resolve));
});

interface Case {
  what: string;
  /** The REST call, its body holding the mistake. */
  rest: { method: 'POST' | 'PUT'; url: () => string; body: Record<string, unknown> };
  /** The same mistake in a scenario step (after a listen `srv` and a connect `cli`, so it is steps[2]). */
  step: Record<string, unknown>;
  /** The same mistake given to the inspector directly. */
  direct: () => unknown;
  field: string;
  stepPath: string;
  message: string;
}

const cases: Case[] = [
  {
    what: 'a connect to port 70000',
    rest: { method: 'POST', url: () => '/api/connections', body: { host: '127.0.0.1', port: 70000 } },
    step: { connect: { name: 'c2', host: '127.0.0.1', port: 70000 } },
    direct: () => s.app.inspector.openConnection({ host: '127.0.0.1', port: 70000 }),
    field: 'port',
    stepPath: 'steps[2].connect.port',
    message: 'must be an integer from 1 to 65535',
  },
  {
    what: 'a send with an unknown encoding',
    rest: { method: 'POST', url: () => `/api/connections/${id}/send`, body: { data: 'x', encoding: 'utf16' } },
    step: { send: { on: 'cli', data: 'x', encoding: 'utf16' } },
    direct: () => s.app.inspector.send(id, { data: 'x', encoding: 'utf16' as never }),
    field: 'encoding',
    stepPath: 'steps[2].send.encoding',
    message: 'must be one of utf8, hex, base64, escaped',
  },
  {
    what: 'a send split into 0 writes',
    rest: { method: 'POST', url: () => `/api/connections/${id}/send`, body: { data: 'x', split: { writes: 0 } } },
    step: { send: { on: 'cli', data: 'x', split: { writes: 0 } } },
    direct: () => s.app.inspector.send(id, { data: 'x', split: { writes: 0 } }),
    field: 'split.writes',
    stepPath: 'steps[2].send.split.writes',
    message: 'must be an integer from 1 to 10000',
  },
  {
    what: 'a length prefix of 3 bytes',
    rest: {
      method: 'PUT',
      url: () => `/api/connections/${id}/framing`,
      body: { framing: { kind: 'length', bytes: 3 } },
    },
    step: { framing: { on: 'cli', rule: { kind: 'length', bytes: 3 } } },
    direct: () => framingOf(s.app.inspector).setConnectionFraming(id, { kind: 'length', bytes: 3 } as never),
    field: 'framing.bytes',
    stepPath: 'steps[2].framing.rule.bytes',
    message: 'must be one of 1, 2, 4, 8',
  },
  {
    what: 'an expect waiting 70 s',
    rest: { method: 'POST', url: () => `/api/connections/${id}/expect`, body: { text: 'x', timeoutMs: 70000 } },
    step: { expect: { on: 'cli', text: 'x', timeoutMs: 70000 } },
    direct: () => s.app.inspector.expect(id, { text: 'x', timeoutMs: 70000 }),
    field: 'timeoutMs',
    stepPath: 'steps[2].expect.timeoutMs',
    message: 'must be an integer from 0 to 60000',
  },
];

const scenario = (step: Record<string, unknown>) => ({
  name: 'one-mistake',
  steps: [{ listen: { name: 'srv', port: 0 } }, { connect: { name: 'cli', to: 'srv' } }, step],
});

async function directError(call: () => unknown): Promise<InspectorError> {
  try {
    await call();
  } catch (e) {
    expect(e).toBeInstanceOf(InspectorError);
    return e as InspectorError;
  }
  throw new Error('the inspector took the bad input');
}

describe('one bad input, the same words everywhere', () => {
  it.each(cases.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const rest = await s.inject({ method: c.rest.method, url: c.rest.url(), payload: c.rest.body });
    expect(rest.statusCode, rest.body).toBe(400);
    expect(rest.json().error).toEqual({ code: 'BAD_REQUEST', field: c.field, message: `${c.field}: ${c.message}` });

    const checked = await s.api('POST', '/api/scenarios/validate', { scenario: scenario(c.step) });
    expect(checked.json).toMatchObject({ ok: false, errors: [{ path: c.stepPath, message: c.message }] });

    const direct = await directError(c.direct);
    expect([direct.statusCode, direct.code, direct.extra.field, direct.message]).toEqual([
      400,
      'BAD_REQUEST',
      c.field,
      `${c.field}: ${c.message}`,
    ]);
  });

  it('nothing was sent, framed or opened by any of them', async () => {
    const row = (await s.api('GET', `/api/connections/${id}`)).json;
    expect([row.bytesOut, row.framing ?? null]).toEqual([0, null]);
    const sockets = (await s.api('GET', '/api/sockets')).json;
    expect(sockets.connections.map((c: { id: string }) => c.id)).toEqual([id]);
  });
});
