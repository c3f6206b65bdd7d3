// What a schema cannot say: names bound by earlier steps, listener vs connection, ${...} references, one condition.
import { EXPECT_CONDITIONS } from '../expect';
import { checkFramingRule, type FramingRule } from '../framing/rule';
import { decodePayload } from '../codec';
import { compileRegex } from '../safe-regex';
import type { PayloadEncoding } from '../rest';
import { referencesIn } from './interpolate';
import {
  ASSERT_FIELDS,
  CONNECTION_ASSERT_FIELDS,
  LISTENER_ASSERT_FIELDS,
  type StepKind,
  type StepParams,
} from './schema';
import { joinPath, type ScenarioError } from './schema-errors';

export type BoundKind = 'listener' | 'connection';
export interface ScenarioBinding {
  kind: BoundKind;
  step: number;
}
export type ScenarioScope = Map<string, ScenarioBinding>;

/** `srv`, or `srv.accepted[2]`: the Nth connection listener srv accepted. */
export const SCENARIO_REF_PATTERN = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\.accepted\[([0-9]+)\])?$/;

const VAR_FIELDS: Record<BoundKind, readonly string[]> = {
  listener: ['port', 'host'],
  connection: ['port', 'host', 'localPort'],
};
const CONNECTION_ONLY = new Set<StepKind>(['expect', 'shutdown', 'reset', 'pause', 'resume']);

export class StepChecker {
  readonly errors: ScenarioError[] = [];

  constructor(
    private readonly scope: ScenarioScope,
    private readonly vars: Readonly<Record<string, unknown>>,
  ) {}

  /** Checks one schema-valid step, then binds the name it defines. */
  check(index: number, kind: StepKind, params: unknown): void {
    const path = `steps[${index}].${kind}`;
    this.references(params, path);
    const p = params as Record<string, unknown>;
    if (typeof p === 'object' && p !== null && typeof p.on === 'string') {
      const target = this.resolve(p.on, joinPath(path, 'on'));
      if (target === 'listener' && CONNECTION_ONLY.has(kind))
        this.fail(
          joinPath(path, 'on'),
          `"${p.on}" is a listener; ${kind} needs a connection (e.g. ${p.on}.accepted[0])`,
        );
      if (target && kind === 'assert') this.assertFields(p as StepParams<'assert'>, target, path);
    }
    switch (kind) {
      case 'listen':
        return this.listen(params as StepParams<'listen'>, path, index);
      case 'connect':
        return this.connect(params as StepParams<'connect'>, path, index);
      case 'send':
        return this.send(params as StepParams<'send'>, path);
      case 'expect':
        return this.expect(params as StepParams<'expect'>, path);
      case 'framing':
        return this.framing((params as StepParams<'framing'>).rule, joinPath(path, 'rule'));
      default:
        return;
    }
  }

  /** Binds a name even when its step is broken, so one mistake does not cascade into "not defined" errors. */
  bind(name: unknown, kind: BoundKind, index: number, path: string): void {
    if (typeof name !== 'string') return;
    const earlier = this.scope.get(name);
    if (earlier) this.fail(path, `"${name}" is already bound by steps[${earlier.step}]; pick another name`);
    else if (name === 'vars') this.fail(path, '"vars" is reserved for ${vars.NAME}');
    else this.scope.set(name, { kind, step: index });
  }

  private listen(p: StepParams<'listen'>, path: string, index: number): void {
    this.framing(p.framing, joinPath(path, 'framing'));
    p.responders?.rules?.forEach((rule, i) => {
      if (rule.match && 'regex' in rule.match)
        this.regex(rule.match.regex, rule.match.flags, joinPath(path, `responders.rules[${i}].match.regex`));
    });
    // A listen that must fail binds nothing: there is no listener to refer to.
    if (p.fails === undefined) this.bind(p.name, 'listener', index, joinPath(path, 'name'));
  }

  private connect(p: StepParams<'connect'>, path: string, index: number): void {
    if (p.to !== undefined) {
      if (p.host !== undefined || p.port !== undefined)
        this.fail(path, 'give either to (a listener name) or host/port, not both');
      const target = this.resolve(p.to, joinPath(path, 'to'));
      if (target === 'connection')
        this.fail(joinPath(path, 'to'), `"${p.to}" is a connection; to needs a listener name`);
    } else if (p.port === undefined) this.fail(path, 'give to (a listener name) or port (and host)');
    if (p.fails !== undefined && p.wait === false)
      this.fail(joinPath(path, 'fails'), 'needs wait: true (the step must see how the connect ends)');
    this.bind(p.name, 'connection', index, joinPath(path, 'name'));
  }

  private send(p: StepParams<'send'>, path: string): void {
    this.framing(p.framing, joinPath(path, 'framing'));
    if (referencesIn(p.data).length > 0) return;
    const decoded = decodePayload(p.data, (p.encoding ?? 'utf8') as PayloadEncoding);
    if (!decoded.ok) this.fail(joinPath(path, 'data'), decoded.message);
  }

  private expect(p: StepParams<'expect'>, path: string): void {
    const given = EXPECT_CONDITIONS.filter((c) => p[c] !== undefined);
    if (given.length !== 1) this.fail(path, `give exactly one of ${EXPECT_CONDITIONS.join(', ')}`);
    if (p.message) this.framing(p.message.framing, joinPath(path, 'message.framing'));
    if (p.regex !== undefined) this.regex(p.regex, undefined, joinPath(path, 'regex'));
  }

  /** The same check, and words, as the server's: a pattern RE2 cannot run fails the file, not the run. */
  private regex(source: string, flags: string | undefined, path: string): void {
    if (referencesIn(source).length > 0) return;
    const compiled = compileRegex(source, flags);
    if (!compiled.ok) this.fail(path, compiled.message);
  }

  private assertFields(p: StepParams<'assert'>, target: BoundKind, path: string): void {
    const fields = ASSERT_FIELDS.filter((f) => (p as Record<string, unknown>)[f] !== undefined);
    if (fields.length === 0 && p.messages === undefined)
      this.fail(path, `give at least one field to check (${ASSERT_FIELDS.join(', ')}, messages)`);
    const allowed: readonly string[] = target === 'listener' ? LISTENER_ASSERT_FIELDS : CONNECTION_ASSERT_FIELDS;
    for (const f of fields)
      if (!allowed.includes(f)) this.fail(joinPath(path, f), `a ${target} has no ${f} (it has ${allowed.join(', ')})`);
    if (p.messages && target === 'listener')
      this.fail(joinPath(path, 'messages'), 'a listener has no messages; check one of its accepted connections');
    if (p.messages?.framing) this.framing(p.messages.framing, joinPath(path, 'messages.framing'));
  }

  private framing(rule: FramingRule | null | undefined, path: string): void {
    const problem = rule ? checkFramingRule(rule) : null;
    if (problem) this.fail(path, problem);
  }

  /** The kind `on`/`to` names, or null (after recording why) when it names nothing usable. */
  private resolve(ref: string, path: string): BoundKind | null {
    const m = SCENARIO_REF_PATTERN.exec(ref);
    if (!m) {
      this.fail(path, `"${ref}" is not a name nor LISTENER.accepted[N]`);
      return null;
    }
    const name = m[1]!;
    const bound = this.scope.get(name);
    if (!bound) {
      this.fail(path, `"${name}" is not defined by an earlier step (known: ${this.known()})`);
      return null;
    }
    if (m[2] === undefined) return bound.kind;
    if (bound.kind !== 'listener') {
      this.fail(path, `"${name}" is a connection; only a listener has accepted[N]`);
      return null;
    }
    return 'connection';
  }

  /** Every ${...} inside the step's strings must name a var or a field of a name bound earlier. */
  private references(value: unknown, path: string): void {
    if (typeof value === 'string') {
      for (const ref of referencesIn(value)) this.reference(ref, path);
    } else if (Array.isArray(value)) value.forEach((v, i) => this.references(v, joinPath(path, i)));
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) this.references(v, joinPath(path, k));
  }

  private reference(ref: string, path: string): void {
    const [head, field, ...rest] = ref.split('.');
    if (head === 'vars' && field !== undefined && rest.length === 0) {
      if (!(field in this.vars)) {
        const known = Object.keys(this.vars);
        this.fail(path, `\${${ref}}: no var "${field}" (vars: ${known.length > 0 ? known.join(', ') : 'none given'})`);
      }
      return;
    }
    const bound = head === undefined ? undefined : this.scope.get(head);
    if (field === undefined || rest.length > 0 || head === undefined || !SCENARIO_REF_PATTERN.test(head)) {
      this.fail(
        path,
        `\${${ref}} is not a reference: use \${NAME.port}, \${NAME.host}, \${NAME.localPort} or \${vars.NAME}`,
      );
    } else if (!bound) {
      this.fail(path, `\${${ref}}: "${head}" is not defined by an earlier step (known: ${this.known()})`);
    } else if (!VAR_FIELDS[bound.kind].includes(field)) {
      this.fail(path, `\${${ref}}: a ${bound.kind} has no "${field}" (use ${VAR_FIELDS[bound.kind].join(', ')})`);
    }
  }

  private known(): string {
    return this.scope.size > 0 ? [...this.scope.keys()].join(', ') : 'none';
  }

  private fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }
}
