// The responders editor's hint under a reply: what the framing rule does to it, checked against a real server.
import { describe, expect, it } from 'vitest';
import type { FramingRule } from '../../shared';
import { replyHint } from '../../frontend/state/reply-hint';
import { useApp } from '../helpers/app-fixture';
import { dial, readBytes } from '../helpers/loopback';

const NEWLINE: FramingRule = { kind: 'delimiter', delimiter: '\\n' };

describe('replyHint', () => {
  it('says nothing without a rule or a reply', () => {
    expect(replyHint('PONG', 'utf8', null)).toBeNull();
    expect(replyHint('', 'utf8', NEWLINE)).toBeNull();
    expect(replyHint('zz', 'hex', NEWLINE)).toBeNull(); // not hex: Save reports it
  });

  it('shows the delimiter added, and refuses a reply that already ends with it or contains it', () => {
    expect(replyHint('PONG', 'utf8', NEWLINE)).toEqual({
      tone: 'note',
      text: 'The delimiter \\n is added: this reply is sent as PONG\\n',
    });
    expect(replyHint('PONG\\n', 'escaped', NEWLINE)).toMatchObject({
      tone: 'problem',
      text: expect.stringMatching(/^This reply already ends with the delimiter \\n: .* never sent\. Leave the final/),
    });
    expect(replyHint('504f4e470a', 'hex', NEWLINE)?.tone).toBe('problem');
    expect(replyHint('a\\nb', 'escaped', NEWLINE)).toMatchObject({
      tone: 'problem',
      text: expect.stringContaining('contains the delimiter \\n'),
    });
    // In utf8 a typed \n is a backslash and an n: sent as such, and the hint says so.
    expect(replyHint('PONG\\n', 'utf8', NEWLINE)?.text).toBe(
      'The delimiter \\n is added: this reply is sent as PONG\\\\n\\n (in utf8 a typed \\n is two characters, \\ and n: choose escaped to send a newline)',
    );
  });

  it('with captures, says what is added to each reply and still catches a literal delimiter', () => {
    expect(replyHint('PONG $1', 'utf8', NEWLINE)).toEqual({
      tone: 'note',
      text: 'The delimiter \\n is added to each reply once its $n are filled in.',
    });
    expect(replyHint('PONG $1\\n', 'escaped', NEWLINE)?.tone).toBe('problem');
    expect(replyHint('costs $$5', 'utf8', NEWLINE)?.text).toBe(
      'The delimiter \\n is added: this reply is sent as costs $5\\n',
    );
  });

  it('other rules: a length prefix, a fixed size the reply lacks, and a long reply cut with its count', () => {
    expect(replyHint('PONG', 'utf8', { kind: 'length', bytes: 4 })?.text).toBe(
      'A 4-byte big-endian length prefix is added: this reply is sent as \\0\\0\\0\\x04PONG',
    );
    expect(replyHint('PONG', 'utf8', { kind: 'fixed', size: 16 })).toEqual({
      tone: 'problem',
      text: 'Refused when the rule fires: fixed framing needs exactly 16 bytes; the payload is 4.',
    });
    expect(replyHint('x'.repeat(300), 'utf8', NEWLINE)?.text).toMatch(/x… \(181 more bytes\)$/);
  });
});

describe('replyHint against the server', () => {
  const fx = useApp();

  it('a reply is sent exactly as the hint shows; one ending with the delimiter is never sent', async () => {
    const s = await fx.start();
    const listener = (await s.api('POST', '/api/listeners', { port: 0 })).json;
    await s.api('PUT', `/api/listeners/${listener.id}/framing`, { framing: NEWLINE });
    const rules = [
      { match: { equals: 'PING' }, reply: { data: 'PONG', encoding: 'utf8' } },
      { match: { equals: 'PING2' }, reply: { data: 'PONG\\n', encoding: 'escaped' } },
    ] as const;
    expect((await s.api('PUT', `/api/listeners/${listener.id}/responders`, { rules })).status).toBe(200);
    const client = await dial(listener.local.port as number);
    fx.sockets.push(client);

    client.write('PING\n');
    const sent = (await readBytes(client, 5)).toString('latin1');
    expect(sent).toBe('PONG\n');
    expect(replyHint(rules[0].reply.data, rules[0].reply.encoding, NEWLINE)?.text).toContain(
      `sent as ${sent.replace('\n', '\\n')}`,
    );

    expect(replyHint(rules[1].reply.data, rules[1].reply.encoding, NEWLINE)?.tone).toBe('problem');
    // Replies go out in order: the PONG after PING2's turn shows that PING2 got nothing.
    client.write('PING2\nPING\n');
    expect((await readBytes(client, 5)).toString('latin1')).toBe('PONG\n');
    const view = (await s.api('GET', `/api/listeners/${listener.id}/responders`)).json;
    expect(view.rules.map((r: { hits: number }) => r.hits)).toEqual([2, 1]);
    expect(view.lastError).toMatch(/contains the delimiter/);
  });
});
