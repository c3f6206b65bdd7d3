import { describe, expect, it } from 'vitest';
import {
  RESPONDER_MATCH_BYTES,
  RESPONDER_REPLIES_PER_SECOND,
  type FramingRule,
  type ThenAction,
} from '../../../shared';
import { ConnectionResponder, ResponderSet } from '../../../backend/responders/responder';
import { InspectorError } from '../../../backend/inspector/errors';

const b = (s: string) => Buffer.from(s);

function harness(set: ResponderSet, framing: FramingRule | null = null) {
  const written: string[] = [];
  const actions: ThenAction[] = [];
  const r = new ConnectionResponder(set, {
    write: (bytes, flushed) => {
      written.push(bytes.toString('latin1'));
      flushed();
      return true;
    },
    then: (a) => actions.push(a),
    framing: () => framing,
  });
  return { r, written, actions };
}

describe('ResponderSet', () => {
  it('first matching rule wins; $0..$9 and $$ fill the reply; hits are counted per rule', () => {
    const set = new ResponderSet({
      rules: [
        { match: { regex: '^(\\w)(\\w)(\\w)(\\w)(\\w)(\\w)(\\w)(\\w)(\\w)$' }, reply: { data: '$9$1 [$0] $$5' } },
        { match: { startsWith: 'PING' }, reply: { data: 'PONG\\r\\n', encoding: 'escaped' } },
        { match: { contains: 'PING' }, reply: { data: 'never' } },
        { reply: { data: 'fallback $0' } },
      ],
    });
    const { r, written } = harness(set);
    r.handle([b('abcdefghi'), b('PING x'), b('xPING'), b('other')]);
    expect(written).toEqual(['ia [abcdefghi] $5', 'PONG\r\n', 'never', 'fallback other']);
    expect(set.view('c-1').rules.map((x) => x.hits)).toEqual([1, 1, 1, 1]);
    expect(set.replies).toBe(4);
  });

  it('a regex only ever sees the first 64 KiB of a message', () => {
    const set = new ResponderSet({ rules: [{ match: { regex: 'END$' }, reply: { data: 'y' } }] });
    const { r, written } = harness(set);
    r.handle([Buffer.concat([Buffer.alloc(RESPONDER_MATCH_BYTES, 97), b('END')])]);
    expect(written).toEqual([]);
  });

  it('replies are framed with the connection rule; echo re-frames each message', () => {
    const rule: FramingRule = { kind: 'length', bytes: 2, endian: 'big', includesHeader: false };
    const { r, written } = harness(new ResponderSet({ mode: 'echo' }), rule);
    r.handle([b('hi')]);
    expect(written).toEqual(['\0\x02hi']);
  });

  it('caps replies per second per connection and counts the rest', () => {
    const set = new ResponderSet({ mode: 'echo' });
    const { r, written } = harness(set);
    r.handle(Array.from({ length: RESPONDER_REPLIES_PER_SECOND + 7 }, () => b('x')));
    expect(written).toHaveLength(RESPONDER_REPLIES_PER_SECOND);
    expect(set.suppressed).toBe(7);
  });

  it('a rule without reply only acts; stop() cancels delayed replies', () => {
    const { r, written, actions } = harness(new ResponderSet({ rules: [{ match: { equals: 'BYE' }, then: 'close' }] }));
    r.handle([b('BYE')]);
    expect(actions).toEqual(['close']);
    const delayed = harness(new ResponderSet({ rules: [{ reply: { data: 'late' }, delayMs: 10 }] }));
    delayed.r.handle([b('x')]);
    delayed.r.stop();
    expect(written).toEqual([]);
    expect(delayed.written).toEqual([]);
  });

  it('names the field of a bad rule', () => {
    const bad = (body: ConstructorParameters<typeof ResponderSet>[0]) => {
      try {
        new ResponderSet(body);
      } catch (err) {
        return err instanceof InspectorError ? err.extra.field : 'other';
      }
      return 'accepted';
    };
    expect(bad({ rules: [{}, { match: { regex: '[' } }] })).toBe('rules[1].match.regex');
    expect(bad({ rules: [{ reply: { data: '$1 zz', encoding: 'hex' } }] })).toBe('rules[0].reply.data');
    expect(bad({ rules: [{ reply: { data: '4f $1 4b', encoding: 'hex' } }] })).toBe('accepted');
  });
});
