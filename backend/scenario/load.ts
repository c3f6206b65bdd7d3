// A scenario from a request body ({scenario} as JSON or {source} as YAML/JSON text), checked before anything runs.
import {
  parseScenarioText,
  scenarioErrorsMessage,
  validateScenario,
  type RunScenarioBody,
  type Scenario,
  type ScenarioCheckReply,
  type ScenarioError,
  type ScenarioParseResult,
} from '../../shared';
import { badRequest, requestError } from '../inspector/errors';

type Body = Pick<RunScenarioBody, 'scenario' | 'source'>;

/** The file as a value: the JSON object given, or the text parsed. */
function read(body: Body): ScenarioParseResult {
  const given = (body.scenario !== undefined ? 1 : 0) + (body.source !== undefined ? 1 : 0);
  if (given !== 1)
    throw badRequest('give exactly one of scenario (a JSON object) or source (the file text)', 'scenario');
  return body.source === undefined ? { ok: true, value: body.scenario } : parseScenarioText(body.source);
}

export const badScenario = (errors: readonly ScenarioError[]) =>
  requestError('BAD_SCENARIO', scenarioErrorsMessage(errors), errors[0]?.path ? { field: errors[0].path } : {});

/** The valid scenario, or BAD_SCENARIO (400) whose field is the first error's path and whose message lists them all. */
export function loadScenario(body: Body): Scenario {
  const parsed = read(body);
  const result = parsed.ok ? validateScenario(parsed.value) : parsed;
  if (!result.ok) throw badScenario(result.errors);
  return result.scenario;
}

/** POST /api/scenarios/validate: the same checks, as data. */
export function checkScenarioBody(body: Body): ScenarioCheckReply {
  const parsed = read(body);
  if (!parsed.ok) return { ok: false, name: null, steps: 0, errors: parsed.errors };
  const result = validateScenario(parsed.value);
  const file = (typeof parsed.value === 'object' && parsed.value !== null ? parsed.value : {}) as Record<
    string,
    unknown
  >;
  return {
    ok: result.ok,
    name: typeof file.name === 'string' ? file.name : null,
    steps: Array.isArray(file.steps) ? file.steps.length : 0,
    errors: result.ok ? [] : result.errors,
  };
}
