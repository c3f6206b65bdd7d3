// validateScenario: the whole file checked before anything runs; every error names its step and field.
import { Compile } from 'typebox/compile';
import { StepChecker, type ScenarioScope } from './references';
import {
  MAX_SCENARIO_STEPS,
  ScenarioHeadSchema,
  STEP_KINDS,
  STEP_SCHEMAS,
  type Scenario,
  type StepKind,
} from './schema';
import { explainSchema, type ScenarioError } from './schema-errors';

export type ScenarioValidation = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

/** A broken file may hold hundreds of mistakes; past this many the rest are summed up in one line. */
export const MAX_REPORTED_ERRORS = 50;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Checker = { Check(v: unknown): boolean };
let compiled: Map<StepKind, Checker> | null = null;
/** Compiled on first use: the browser pays for it only when it validates. */
function stepChecker(kind: StepKind): Checker {
  compiled ??= new Map(STEP_KINDS.map((k) => [k, Compile(STEP_SCHEMAS[k])]));
  return compiled.get(kind)!;
}

export function validateScenario(value: unknown): ScenarioValidation {
  if (!isObject(value))
    return { ok: false, errors: [{ path: '', message: 'a scenario is an object with a name and steps' }] };
  const errors = explainSchema(ScenarioHeadSchema, { ...value, steps: [] }, '').filter((e) => e.path !== 'steps');
  const steps = value.steps;
  if (steps === undefined) errors.push({ path: 'steps', message: 'is required' });
  else if (!Array.isArray(steps) || steps.length === 0 || steps.length > MAX_SCENARIO_STEPS) {
    errors.push(...explainSchema(ScenarioHeadSchema.properties.steps, steps, 'steps'));
  } else {
    const vars = isObject(value.vars) ? value.vars : {};
    errors.push(...checkSteps(steps, vars));
  }
  if (errors.length === 0) return { ok: true, scenario: value as Scenario };
  return { ok: false, errors: capped(errors) };
}

function checkSteps(steps: unknown[], vars: Record<string, unknown>): ScenarioError[] {
  const scope: ScenarioScope = new Map();
  const checker = new StepChecker(scope, vars);
  const errors: ScenarioError[] = [];
  steps.forEach((step, index) => {
    const path = `steps[${index}]`;
    const keys = isObject(step) ? Object.keys(step) : [];
    if (keys.length !== 1) {
      const message =
        keys.length > 1
          ? `has ${keys.length} step keys (${keys.join(', ')}); give exactly one`
          : 'must be an object with one step key, e.g. { listen: { name: srv, port: 0 } }';
      return errors.push({ path, message });
    }
    const key = keys[0]!;
    if (!(STEP_KINDS as string[]).includes(key))
      return errors.push({ path, message: `unknown step "${key}" (expected one of ${STEP_KINDS.join(', ')})` });
    const kind = key as StepKind;
    const params = (step as Record<string, unknown>)[kind];
    if (stepChecker(kind).Check(params)) return checker.check(index, kind, params);
    errors.push(...explainSchema(STEP_SCHEMAS[kind], params, `${path}.${kind}`));
    const name = isObject(params) ? params.name : undefined;
    if (kind === 'listen' || kind === 'connect')
      checker.bind(name, kind === 'listen' ? 'listener' : 'connection', index, `${path}.${kind}.name`);
  });
  // Errors come in step order: schema errors of a step, then the reference errors found while walking.
  return [...errors, ...checker.errors].sort((a, b) => stepIndex(a.path) - stepIndex(b.path));
}

const stepIndex = (path: string): number => Number(/^steps\[([0-9]+)\]/.exec(path)?.[1] ?? -1);

function capped(errors: ScenarioError[]): ScenarioError[] {
  if (errors.length <= MAX_REPORTED_ERRORS) return errors;
  const more = errors.length - MAX_REPORTED_ERRORS;
  return [...errors.slice(0, MAX_REPORTED_ERRORS), { path: '', message: `... and ${more} more errors` }];
}

/** `steps[2].send.on: "clii" is not defined...`, one per line. */
export const formatScenarioError = (e: ScenarioError): string => (e.path ? `${e.path}: ${e.message}` : e.message);

/** The message of a BAD_SCENARIO error: the one error, or a count and then every error on its own line. */
export function scenarioErrorsMessage(errors: readonly ScenarioError[]): string {
  if (errors.length === 1) return formatScenarioError(errors[0]!);
  return [`the scenario has ${errors.length} errors:`, ...errors.map(formatScenarioError)].join('\n');
}
