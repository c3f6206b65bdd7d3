// The responders editor's drafts: rules as form fields <-> the REST body, and server field names -> rule fields.
import {
  MAX_RESPONDER_DELAY_MS,
  type PayloadEncoding,
  type RespondersBody,
  type ResponderRule,
  type ThenAction,
} from '../../shared';

export type MatchKind = 'any' | 'regex' | 'equals' | 'contains' | 'startsWith';
export type RuleField = 'match' | 'flags' | 'reply' | 'delay' | 'then';

export interface RuleDraft {
  key: number;
  matchKind: MatchKind;
  match: string;
  flags: string;
  matchEncoding: PayloadEncoding;
  reply: string;
  replyEncoding: PayloadEncoding;
  delayMs: string;
  then: ThenAction | '';
}

let nextKey = 1;
export const newDraft = (patch: Partial<RuleDraft> = {}): RuleDraft => ({
  key: nextKey++,
  matchKind: 'regex',
  match: '',
  flags: '',
  matchEncoding: 'utf8',
  reply: '',
  replyEncoding: 'utf8',
  delayMs: '',
  then: '',
  ...patch,
});

export function ruleToDraft(rule: ResponderRule): RuleDraft {
  const d: Partial<RuleDraft> = { matchKind: 'any' };
  const m = rule.match;
  if (m) {
    if ('regex' in m) Object.assign(d, { matchKind: 'regex', match: m.regex, flags: m.flags ?? '' });
    else if ('equals' in m)
      Object.assign(d, { matchKind: 'equals', match: m.equals, matchEncoding: m.encoding ?? 'utf8' });
    else if ('contains' in m)
      Object.assign(d, { matchKind: 'contains', match: m.contains, matchEncoding: m.encoding ?? 'utf8' });
    else Object.assign(d, { matchKind: 'startsWith', match: m.startsWith, matchEncoding: m.encoding ?? 'utf8' });
  }
  if (rule.reply) Object.assign(d, { reply: rule.reply.data, replyEncoding: rule.reply.encoding ?? 'utf8' });
  if (rule.delayMs !== undefined) d.delayMs = String(rule.delayMs);
  if (rule.then) d.then = rule.then;
  return newDraft(d);
}

export type DraftProblem = { rule: number; field: RuleField; message: string };

/** The REST body for the drafts, or the first rule field the browser can already tell is wrong. */
export function draftsToBody(
  mode: 'off' | 'echo' | 'rules',
  drafts: readonly RuleDraft[],
): { ok: true; body: RespondersBody } | ({ ok: false } & DraftProblem) {
  const rules: ResponderRule[] = [];
  for (const [i, d] of drafts.entries()) {
    const rule: ResponderRule = {};
    if (d.matchKind === 'regex') {
      if (d.match === '') return { ok: false, rule: i, field: 'match', message: 'regex: give a pattern' };
      if (!/^[imsu]*$/.test(d.flags)) return { ok: false, rule: i, field: 'flags', message: 'flags: only i, m, s, u' };
      rule.match = d.flags ? { regex: d.match, flags: d.flags } : { regex: d.match };
    } else if (d.matchKind !== 'any') {
      const enc = d.matchEncoding === 'utf8' ? {} : { encoding: d.matchEncoding };
      rule.match =
        d.matchKind === 'equals'
          ? { equals: d.match, ...enc }
          : d.matchKind === 'contains'
            ? { contains: d.match, ...enc }
            : { startsWith: d.match, ...enc };
    }
    if (d.reply !== '') rule.reply = { data: d.reply, encoding: d.replyEncoding };
    if (d.delayMs.trim() !== '') {
      const n = Number(d.delayMs);
      if (!Number.isInteger(n) || n < 0 || n > MAX_RESPONDER_DELAY_MS)
        return {
          ok: false,
          rule: i,
          field: 'delay',
          message: `delay: whole milliseconds, 0 to ${MAX_RESPONDER_DELAY_MS}`,
        };
      rule.delayMs = n;
    }
    if (d.then) rule.then = d.then;
    rules.push(rule);
  }
  return { ok: true, body: { mode, rules } };
}

/** "rules[2].match.regex" (or "/rules/2/delayMs") -> rule 2's field; null when the name is about no rule. */
export function fieldOfServer(field: string | null): { rule: number; field: RuleField } | null {
  if (!field) return null;
  const m = /rules[[/.](\d+)\]?[./]?(.*)$/.exec(field);
  if (!m) return null;
  const rest = m[2] ?? '';
  const f: RuleField = rest.startsWith('match')
    ? rest.endsWith('flags')
      ? 'flags'
      : 'match'
    : rest.startsWith('reply')
      ? 'reply'
      : rest.startsWith('delay')
        ? 'delay'
        : rest.startsWith('then')
          ? 'then'
          : 'match';
  return { rule: Number(m[1]), field: f };
}
