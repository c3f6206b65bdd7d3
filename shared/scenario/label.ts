// One-line step labels as the CLI, the RunResult and the UI show them: `expect srv.accepted[0] text "hello"`.
import { describeFramingRule, type FramingRule } from '../framing/rule';
import { plural } from '../words';
import { interpolateKnownDeep, type ScenarioVars } from './interpolate';
import { ASSERT_FIELDS, stepEntry, type Comparison, type Step, type StepParams } from './schema';

const MAX_SHOWN = 40;

/** JSON-quoteShort, cut to a readable length. */
export function quoteShort(text: string): string {
  const q = JSON.stringify(text);
  return q.length <= MAX_SHOWN ? q : `${q.slice(0, MAX_SHOWN - 4)}..."`;
}

const fails = (code: string | undefined): string => (code ? ` fails ${code}` : '');

/**
 * The label as a run shows it: the ${...} values known at that point filled in (`connect cli -> 127.0.0.1:41233`),
 * the others left as written. stepLabel alone, without a run, shows the file's templates.
 */
export function stepLabelWith(step: Step, vars: ScenarioVars): string {
  return stepLabel(interpolateKnownDeep(step, vars));
}

export function stepLabel(step: Step): string {
  const e = stepEntry(step);
  switch (e.kind) {
    case 'listen': {
      const p = e.params;
      // String(): an interpolated port is a string ("0" too).
      const where = p.host !== undefined || String(p.port) !== '0' ? ` on ${p.host ?? '127.0.0.1'}:${p.port}` : '';
      return `listen ${p.name}${where}${p.accept ? ` (${p.accept})` : ''}${fails(p.fails)}`;
    }
    case 'connect': {
      const p = e.params;
      const to = p.to ?? `${p.host ?? '127.0.0.1'}:${p.port}`;
      return `connect ${p.name} -> ${to}${p.wait === false ? ' (no wait)' : ''}${fails(p.fails)}`;
    }
    case 'send':
      return sendLabel(e.params);
    case 'expect':
      return expectLabel(e.params);
    case 'framing':
      return `framing ${e.params.on} ${e.params.rule ? describeFramingRule(e.params.rule) : 'none'}`;
    case 'wait':
      return `wait ${e.params} ms`;
    case 'assert':
      return assertLabel(e.params);
    default:
      return `${e.kind} ${e.params.on}`;
  }
}

function sendLabel(p: StepParams<'send'>): string {
  const encoding = p.encoding && p.encoding !== 'utf8' ? `${p.encoding} ` : '';
  let label = `send ${p.on} ${encoding}${quoteShort(p.data)}`;
  if (p.split) label += 'writes' in p.split ? ` in ${p.split.writes} writes` : ` in ${p.split.chunkBytes}-byte writes`;
  if (p.repeat) label += ` x${p.repeat.count}`;
  return label + fails(p.fails);
}

function expectLabel(p: StepParams<'expect'>): string {
  return `expect ${p.on}${p.direction === 'out' ? ' out' : ''} ${describeExpectation(p)}`;
}

/** The condition fields of an expect body or step (a step's numbers may still be ${...} templates). */
export interface ExpectationFields {
  bytes?: number | string;
  text?: string;
  regex?: string;
  message?: { framing: FramingRule; count?: number | string };
  state?: string;
  tcpState?: string;
  fault?: string;
}

/**
 * One expectation in words, the same in a step label (`expect cli text "hello"`) and in the 408 an expect answers
 * (`expected text "hello" on c-3 ...`): `3 bytes`, `regex /\d+/`, `2 messages (delimiter \n)`, `state closed`.
 */
export function describeExpectation(p: ExpectationFields): string {
  if (p.text !== undefined) return `text ${quoteShort(p.text)}`;
  if (p.regex !== undefined) return `regex /${p.regex}/`;
  if (p.bytes !== undefined) return plural(p.bytes, 'byte');
  if (p.message !== undefined)
    return `${plural(p.message.count ?? 1, 'message')} (${describeFramingRule(p.message.framing)})`;
  if (p.state !== undefined) return `state ${p.state}`;
  if (p.tcpState !== undefined) return `tcpState ${p.tcpState}`;
  if (p.fault !== undefined) return `fault ${p.fault}`;
  return 'no condition';
}

export function describeComparison(c: Comparison): string {
  if (c === null || typeof c !== 'object') return String(c);
  if ('in' in c) return `in [${c.in.map(String).join(', ')}]`;
  return Object.entries(c)
    .map(([op, v]) => `${op} ${String(v)}`)
    .join(' and ');
}

function assertLabel(p: StepParams<'assert'>): string {
  const checks = ASSERT_FIELDS.flatMap((f) => {
    const c = (p as Record<string, unknown>)[f] as Comparison | undefined;
    return c === undefined ? [] : [`${f} ${describeComparison(c)}`];
  });
  if (p.messages) checks.push(`messages ${describeComparison(p.messages.count)}`);
  return `assert ${p.on} ${checks.join(', ')}`;
}
