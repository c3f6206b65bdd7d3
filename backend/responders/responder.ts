// Auto-responders: a compiled rule set (shared by a listener's connections, with its counters) and its per-connection runner.
import {
  compileRegex,
  decodePayload,
  execRegex,
  encodeFrame,
  RESPONDER_MATCH_BYTES,
  RESPONDER_REPLIES_PER_SECOND,
  type FramingRule,
  type RespondersBody,
  type RespondersReply,
  type ResponderRule,
  type ThenAction,
} from '../../shared';
import { badRequest } from '../inspector/errors';

type Matcher = (unit: Buffer) => string[] | null;
/** A reply template: literal bytes and $n holes, decoded once at set time. */
type Part = Buffer | number;

interface CompiledRule {
  rule: ResponderRule;
  match: Matcher;
  reply: Part[] | null;
  hits: number;
}

const utf8 = new TextDecoder();

function compileMatch(rule: ResponderRule, field: string): Matcher {
  const m = rule.match;
  if (m === undefined) return (unit) => [utf8.decode(unit.subarray(0, RESPONDER_MATCH_BYTES))];
  if ('regex' in m) {
    const compiled = compileRegex(m.regex, m.flags ?? '');
    if (!compiled.ok) throw badRequest(`${field}.regex: ${compiled.message}`, `${field}.regex`);
    const re = compiled.re;
    // RE2: linear in the unit's length, whatever the pattern and the peer's bytes.
    return (unit) => {
      const found = execRegex(re, utf8.decode(unit.subarray(0, RESPONDER_MATCH_BYTES)));
      return found ? found.map((g) => g ?? '') : null;
    };
  }
  const [kind, text] =
    'equals' in m ? ['equals', m.equals] : 'contains' in m ? ['contains', m.contains] : ['startsWith', m.startsWith];
  const decoded = decodePayload(text, m.encoding ?? 'utf8');
  if (!decoded.ok) throw badRequest(`${field}.${kind}: ${decoded.message}`, `${field}.${kind}`);
  const needle = Buffer.from(decoded.bytes);
  const whole = (unit: Buffer) => [utf8.decode(unit.subarray(0, RESPONDER_MATCH_BYTES))];
  if (kind === 'equals') return (unit) => (unit.equals(needle) ? whole(unit) : null);
  if (kind === 'contains')
    return (unit) => (unit.subarray(0, RESPONDER_MATCH_BYTES).includes(needle) ? whole(unit) : null);
  return (unit) => (unit.subarray(0, needle.length).equals(needle) ? whole(unit) : null);
}

function compileReply(rule: ResponderRule, field: string): Part[] | null {
  if (rule.reply === undefined) return null;
  const encoding = rule.reply.encoding ?? 'utf8';
  const parts: Part[] = [];
  let at = 0;
  const literal = (text: string) => {
    if (text === '') return;
    const decoded = decodePayload(text, encoding);
    if (!decoded.ok) throw badRequest(`${field}.data: ${decoded.message}`, `${field}.data`);
    parts.push(Buffer.from(decoded.bytes));
  };
  for (const hole of rule.reply.data.matchAll(/\$(\$|\d)/g)) {
    literal(rule.reply.data.slice(at, hole.index));
    if (hole[1] === '$') parts.push(Buffer.from('$'));
    else parts.push(Number(hole[1]));
    at = hole.index + hole[0].length;
  }
  literal(rule.reply.data.slice(at));
  return parts;
}

export class ResponderSet {
  readonly mode: 'echo' | 'rules' | 'off';
  private readonly rules: CompiledRule[];
  echoes = 0;
  replies = 0;
  suppressed = 0;
  lastError: string | null = null;

  /** Throws BAD_REQUEST naming the field (rules[2].match.regex) when a rule cannot be compiled. */
  constructor(body: RespondersBody) {
    this.mode = body.mode ?? (body.rules && body.rules.length > 0 ? 'rules' : 'off');
    if (this.mode !== 'rules' && body.rules && body.rules.length > 0)
      throw badRequest(`mode ${this.mode} takes no rules`, 'rules');
    this.rules = (body.rules ?? []).map((rule, i) => ({
      rule,
      match: compileMatch(rule, `rules[${i}].match`),
      reply: compileReply(rule, `rules[${i}].reply`),
      hits: 0,
    }));
  }

  get active(): boolean {
    return this.mode !== 'off';
  }

  /** What to do for one message (or read): the reply bytes (unframed) and the rule's delay and action. */
  decide(unit: Buffer): { reply: Buffer | null; delayMs: number; then: ThenAction | null } | null {
    if (this.mode === 'echo') {
      this.echoes++;
      return { reply: unit, delayMs: 0, then: null };
    }
    for (const r of this.rules) {
      const groups = r.match(unit);
      if (groups === null) continue;
      r.hits++;
      const reply =
        r.reply && Buffer.concat(r.reply.map((p) => (typeof p === 'number' ? Buffer.from(groups[p] ?? '') : p)));
      return { reply, delayMs: r.rule.delayMs ?? 0, then: r.rule.then ?? null };
    }
    return null;
  }

  view(id: string): RespondersReply {
    const { mode, echoes, replies, suppressed, lastError } = this;
    return {
      id,
      mode,
      rules: this.rules.map((r) => ({ ...r.rule, hits: r.hits })),
      echoes,
      replies,
      suppressed,
      lastError,
    };
  }
}

export const offView = (id: string): RespondersReply => ({
  id,
  mode: 'off',
  rules: [],
  echoes: 0,
  replies: 0,
  suppressed: 0,
  lastError: null,
});

export interface ResponderTarget {
  /** Writes (captured, with events), calling flushed once Node handed the bytes over; false when it cannot write. */
  write(bytes: Buffer, flushed: () => void): boolean;
  then(action: ThenAction): void;
  framing(): FramingRule | null;
}

/** Runs a set on one connection: replies as ordinary writes, delays on timers, a replies-per-second cap. */
export class ConnectionResponder {
  private readonly timers = new Set<NodeJS.Timeout>();
  private windowStart = 0;
  private inWindow = 0;
  private stopped = false;

  constructor(
    readonly set: ResponderSet,
    private readonly target: ResponderTarget,
  ) {}

  /** Each unit is a framed message payload (when a rule is set) or a raw read. */
  handle(units: readonly Buffer[]): void {
    for (const unit of units) {
      if (this.stopped) return;
      const decision = this.set.decide(unit);
      if (decision === null) continue;
      if (decision.reply !== null && !this.allow()) {
        this.set.suppressed++;
        continue;
      }
      if (decision.delayMs === 0) this.run(decision.reply, decision.then);
      else {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.run(decision.reply, decision.then);
        }, decision.delayMs);
        this.timers.add(timer);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private run(reply: Buffer | null, then: ThenAction | null): void {
    if (this.stopped) return;
    const act = () => {
      if (then !== null) this.target.then(then);
    };
    if (reply === null) return act();
    const rule = this.target.framing();
    const framed = rule ? encodeFrame(rule, reply) : null;
    if (framed && !framed.ok) this.set.lastError = `reply not framed: ${framed.message}`;
    else if (this.target.write(framed ? Buffer.from(framed.bytes) : reply, act)) {
      this.set.replies++;
      return;
    } else this.set.lastError = 'reply not written: the connection cannot send';
    act();
  }

  private allow(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    return ++this.inWindow <= RESPONDER_REPLIES_PER_SECOND;
  }
}
