// The pure halves of the framing picker, the Messages tab and the responders editor.
import { describe, expect, it } from 'vitest';
import { bytesToBase64, encodeUtf8, type Message } from '../../shared';
import { EMPTY_FRAMING_FORM, formToRule, ruleToForm } from '../../frontend/state/framing-form';
import { moreText, previewPayload, PREVIEW_BYTES, readBadges, readList } from '../../frontend/state/message-view';
import { draftsToBody, fieldOfServer, newDraft, ruleToDraft } from '../../frontend/state/responder-form';

const msg = (index: number, reads: number[]): Message => ({
  index,
  start: 0,
  end: 0,
  payloadOffset: 0,
  reads,
  length: 0,
  data: '',
});

describe('framing form', () => {
  it('turns presets into the REST rules', () => {
    const f = EMPTY_FRAMING_FORM;
    expect(formToRule({ ...f, preset: 'none' })).toEqual({ ok: true, rule: null });
    expect(formToRule({ ...f, preset: 'length-4-be' })).toEqual({
      ok: true,
      rule: { kind: 'length', bytes: 4, endian: 'big', includesHeader: false },
    });
    expect(formToRule({ ...f, preset: 'crlf' })).toEqual({
      ok: true,
      rule: { kind: 'delimiter', delimiter: '\\r\\n' },
    });
    expect(formToRule({ ...f, preset: 'json-header' })).toEqual({ ok: true, rule: { kind: 'json-header' } });
    expect(formToRule({ ...f, preset: 'fixed', size: '8' })).toEqual({ ok: true, rule: { kind: 'fixed', size: 8 } });
  });

  it('names the bad field', () => {
    const f = EMPTY_FRAMING_FORM;
    expect(formToRule({ ...f, preset: 'fixed', size: '0' })).toMatchObject({ ok: false, field: 'size' });
    expect(formToRule({ ...f, preset: 'length', offset: 'x' })).toMatchObject({ ok: false, field: 'offset' });
    expect(formToRule({ ...f, preset: 'delimiter', delimiter: '\\q' })).toMatchObject({
      ok: false,
      field: 'delimiter',
      message: expect.stringContaining('position 0'),
    });
  });

  it('shows a rule as its preset, or as custom fields, and back', () => {
    expect(ruleToForm({ kind: 'length', bytes: 4 }).preset).toBe('length-4-be');
    expect(ruleToForm({ kind: 'delimiter', delimiter: '\\0' }).preset).toBe('nul');
    const custom = ruleToForm({ kind: 'length', bytes: 8, endian: 'little', includesHeader: true, offset: 3 });
    expect(custom).toMatchObject({ preset: 'length', bytes: 8, endian: 'little', includesHeader: true, offset: '3' });
    expect(formToRule(custom)).toEqual({
      ok: true,
      rule: { kind: 'length', bytes: 8, endian: 'little', includesHeader: true, offset: 3 },
    });
    expect(ruleToForm(null).preset).toBe('none');
  });
});

describe('messages', () => {
  it('badges messages split across reads and reads carrying several messages', () => {
    const b = readBadges([msg(1, [1]), msg(2, [1, 2]), msg(3, [2]), msg(4, [3]), msg(5, [4]), msg(6, [4])]);
    expect(b.get(2)).toBe('split across 2 reads');
    expect(b.get(1)).toBe('2 messages in 1 read');
    expect(b.has(4)).toBe(false);
    expect(b.get(5)).toBe('2 messages in 1 read');
  });

  it('a read list the server cut says how many reads it left out', () => {
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const long = { ...msg(7, [...range(1, 32), ...range(99_969, 100_000)]), readCount: 100_000 };
    expect(readBadges([long]).get(7)).toBe('split across 100,000 reads');
    expect(readList(long)).toMatch(/^reads #1, #2, .*, #32, … 99,936 more …, #99969, .*, #100000$/);
    expect(readList({ reads: [3, 4] })).toBe('reads #3, #4');
    expect(readList({ reads: [5] })).toBe('read #5');
  });

  it('previews text, pretty JSON and escaped binary', () => {
    const b64 = (s: string) => bytesToBase64(encodeUtf8(s));
    expect(previewPayload(b64('PING a'))).toEqual({ kind: 'text', text: 'PING a', truncated: false, moreBytes: 0 });
    expect(previewPayload(b64('{"a":1}')).text).toBe('{\n  "a": 1\n}');
    expect(previewPayload(b64('{"a":')).kind).toBe('text');
    expect(previewPayload(bytesToBase64(Uint8Array.from([0, 255, 65])))).toMatchObject({
      kind: 'escaped',
      text: '\\0\\xffA',
    });
  });

  it('cuts a long preview and says how many bytes it left out, never splitting a character', () => {
    const b64 = (s: string) => bytesToBase64(encodeUtf8(s));
    const long = previewPayload(b64('x'.repeat(PREVIEW_BYTES + 500)));
    expect(long).toMatchObject({ kind: 'text', truncated: true, moreBytes: 500 });
    expect(long.text).toHaveLength(PREVIEW_BYTES);
    expect(moreText(long)).toBe('… (500 more bytes)');
    expect(moreText(previewPayload(b64('y'.repeat(PREVIEW_BYTES + 1))))).toBe('… (1 more byte)');
    // 'é' is two bytes: a cut through its middle backs off to the character before.
    const accented = previewPayload(b64('a' + 'é'.repeat(PREVIEW_BYTES)));
    expect(accented.kind).toBe('text');
    expect(accented.text).toBe('a' + 'é'.repeat((PREVIEW_BYTES - 2) / 2));
    expect(accented.moreBytes).toBe(1 + 2 * PREVIEW_BYTES - (PREVIEW_BYTES - 1));
    // A long JSON document is not pretty-printed from half of it, and the cut is said.
    const json = previewPayload(b64(JSON.stringify({ a: 'z'.repeat(PREVIEW_BYTES) })));
    expect(json).toMatchObject({ kind: 'text', truncated: true, moreBytes: '{"a":""}'.length });
    // The server's pending tail holds the first bytes only: the full length says what is missing.
    expect(previewPayload(b64('abc'), 4096 + 3)).toMatchObject({ text: 'abc', moreBytes: 4096 });
    expect(moreText(previewPayload(b64('abc')))).toBe('');
  });
});

describe('responder drafts', () => {
  it('builds the REST body and reads it back', () => {
    const d = newDraft({ matchKind: 'regex', match: '^PING (\\w+)', reply: 'PONG $1', delayMs: '10', then: 'close' });
    const r = draftsToBody('rules', [d, newDraft({ matchKind: 'any', reply: '' })]);
    expect(r).toEqual({
      ok: true,
      body: {
        mode: 'rules',
        rules: [
          {
            match: { regex: '^PING (\\w+)' },
            reply: { data: 'PONG $1', encoding: 'utf8' },
            delayMs: 10,
            then: 'close',
          },
          {},
        ],
      },
    });
    if (!r.ok) return;
    expect(ruleToDraft(r.body.rules![0]!)).toMatchObject({ matchKind: 'regex', match: '^PING (\\w+)', delayMs: '10' });
    expect(ruleToDraft({ match: { contains: '00', encoding: 'hex' } })).toMatchObject({
      matchKind: 'contains',
      matchEncoding: 'hex',
    });
  });

  it('names the rule and field of a problem, from the browser or the server', () => {
    expect(draftsToBody('rules', [newDraft(), newDraft({ match: 'x', delayMs: '-1' })])).toMatchObject({
      ok: false,
      rule: 0,
      field: 'match',
    });
    expect(draftsToBody('rules', [newDraft({ match: 'x', delayMs: '-1' })])).toMatchObject({ rule: 0, field: 'delay' });
    expect(fieldOfServer('rules[2].match.regex')).toEqual({ rule: 2, field: 'match' });
    expect(fieldOfServer('rules[0].reply.data')).toEqual({ rule: 0, field: 'reply' });
    expect(fieldOfServer('/rules/1/delayMs')).toEqual({ rule: 1, field: 'delay' });
    expect(fieldOfServer('mode')).toBeNull();
  });
});
