// Targets and queues over REST on a real port: a denied address is 403 TARGET_DENIED with nothing opened, a malformed
// host 400 before any lookup, the scenario connect step refuses both the same way, and /api/info shows the rules and
// the queue bounds; the total queue bound is 429 naming it.
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { ApiErrorSchema, DEFAULT_LIMITS, InfoReplySchema, RunResultSchema } from '../../../shared';
import { useApp } from '../../helpers/app-fixture';
import type { StartedApp } from '../../helpers/app';

const MiB = 1 << 20;
const apiError = Compile(ApiErrorSchema);
const infoReply = Compile(InfoReplySchema);
const runResult = Compile(RunResultSchema);
const fx = useApp();

async function noConnections(s: StartedApp): Promise<void> {
  const sockets = await s.api('GET', '/api/sockets');
  expect(sockets.json.connections).toEqual([]);
}

describe('POST /api/connections', () => {
  it('403 TARGET_DENIED for the metadata address, naming the rule and the flag; no row, no event', async () => {
    const s = await fx.start();
    for (const host of ['169.254.169.254', '[::ffff:169.254.169.254]']) {
      const r = await s.api('POST', '/api/connections?wait=1', { host, port: 80 });
      expect(r.status, host).toBe(403);
      expect(apiError.Check(r.json)).toBe(true);
      expect(r.json.error).toMatchObject({ code: 'TARGET_DENIED', field: 'host' });
      expect(r.json.error.message).toContain(
        'in 169.254.0.0/16 (link-local and cloud metadata, denied by default; --allow-target 169.254.0.0/16 allows it)',
      );
    }
    await noConnections(s);
    expect((await s.api('GET', '/api/events?since=0')).json.events).toEqual([]);
  });

  it('400 BAD_REQUEST on the host field for a malformed name, before any lookup: no row', async () => {
    const s = await fx.start();
    for (const [host, says] of [
      ['exa mple.com', 'contains " " (a space)'],
      ['a..b', 'has an empty label'],
      [`${'x'.repeat(64)}.example`, 'a label has at most 63'],
      ['http://x', 'is a URL'],
    ] as const) {
      const r = await s.api('POST', '/api/connections', { host, port: 80 });
      expect(r.status, host).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'BAD_REQUEST', field: 'host' });
      expect(r.json.error.message).toContain(says);
    }
    await noConnections(s);
  });
});

describe('the scenario connect step', () => {
  it('fails on a denied target and on a malformed host with the same refusal, opening nothing', async () => {
    const s = await fx.start();
    for (const [host, says] of [
      ['169.254.169.254', '169.254.169.254 is in 169.254.0.0/16 (link-local and cloud metadata'],
      ['exa mple.com', 'host name "exa mple.com" contains " " (a space)'],
    ] as const) {
      const scenario = { name: 'refused', steps: [{ connect: { name: 'cli', host, port: 80 } }] };
      const r = await s.api('POST', '/api/scenarios/run', { scenario });
      expect(r.status).toBe(200);
      expect(runResult.Check(r.json)).toBe(true);
      expect(r.json).toMatchObject({ status: 'failed', failedStep: 0 });
      expect(r.json.steps[0].message).toContain(says);
    }
    await noConnections(s);
  });
});

describe('GET /api/info', () => {
  it('shows the target rules in the order they apply and both queue bounds', async () => {
    const s = await fx.start();
    const r = await s.api('GET', '/api/info');
    expect(infoReply.Check(r.json), JSON.stringify([...infoReply.Errors(r.json)].slice(0, 3))).toBe(true);
    expect(r.json.targets[0]).toEqual({
      action: 'deny',
      cidr: '169.254.0.0/16',
      source: 'default',
      note: 'link-local and cloud metadata',
    });
    expect(r.json.targets.map((t: { cidr: string }) => t.cidr)).toEqual(
      expect.arrayContaining(['fe80::/10', 'fd00:ec2::254/128', '100.100.100.200/32']),
    );
    expect(r.json.limits).toMatchObject({
      maxQueuedBytesPerConnection: DEFAULT_LIMITS.maxQueuedBytesPerConnection,
      maxQueuedBytesTotal: DEFAULT_LIMITS.maxQueuedBytesTotal,
    });
    expect(DEFAULT_LIMITS.maxQueuedBytesTotal).toBeLessThan(
      DEFAULT_LIMITS.maxConnections * DEFAULT_LIMITS.maxQueuedBytesPerConnection,
    );
  });
});

describe('POST /api/connections/:id/send', () => {
  it('429 LIMIT_REACHED naming maxQueuedBytesTotal once all connections together would pass it', async () => {
    const s = await fx.start({ limits: { maxQueuedBytesPerConnection: 2 * MiB, maxQueuedBytesTotal: 3 * MiB } });
    const listener = (await s.api('POST', '/api/listeners', { port: 0, accept: 'hold' })).json;
    const open = async () =>
      (await s.api('POST', '/api/connections?wait=1', { host: '127.0.0.1', port: listener.local.port })).json.id;
    const [a, b] = [await open(), await open()];
    const body = { data: Buffer.alloc(MiB, 1).toString('base64'), encoding: 'base64' };
    const until429 = async (id: string) => {
      for (let i = 0; i < 40; i++) {
        const r = await s.api('POST', `/api/connections/${id}/send`, body);
        if (r.status !== 200) return r;
      }
      throw new Error(`${id}: every send was taken`);
    };
    expect((await until429(a)).json.error).toMatchObject({
      code: 'LIMIT_REACHED',
      limit: 'maxQueuedBytesPerConnection',
    });
    const refused = await until429(b);
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatchObject({ code: 'LIMIT_REACHED', limit: 'maxQueuedBytesTotal' });
    expect(refused.json.error.message).toContain('maxQueuedBytesTotal (3145728)');
    const rows = (await s.api('GET', '/api/sockets')).json.connections as Array<{ id: string; queuedBytes: number }>;
    const queued = rows.filter((r) => r.id === a || r.id === b).reduce((n, r) => n + r.queuedBytes, 0);
    expect(queued).toBeLessThanOrEqual(3 * MiB);
  }, 20_000);
});
