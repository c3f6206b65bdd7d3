// The lab: nine built-in scenario files (the classic socket mistakes), read from disk and validated once.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkScenarioText,
  scenarioErrorsMessage,
  type LabDetail,
  type LabInfo,
  type LabList,
  type Scenario,
} from '../../shared';
import { requestError } from '../inspector/errors';

/** In the order the lab teaches them: setting up, then the byte stream, then closing. */
export const LAB_NAMES = [
  'connect-before-listen',
  'address-in-use',
  'backlog-full-timeout',
  'listening-socket-misuse',
  'no-framing',
  'partial-send',
  'peer-reset',
  'half-close',
  'time-wait',
] as const;

/** Next to this module, so a fresh clone run with tsx finds them whatever the working directory. */
const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');

interface Lab {
  info: LabInfo;
  source: string;
  scenario: Scenario;
}

export const labNotFound = (name: string) =>
  requestError('LAB_NOT_FOUND', `no lab ${JSON.stringify(name)}; the labs are ${LAB_NAMES.join(', ')}`);

/** A broken built-in file is our bug: fail loudly, naming the file and every error. */
function load(name: string): Lab {
  const source = readFileSync(join(SCENARIO_DIR, `${name}.yaml`), 'utf8');
  const checked = checkScenarioText(source);
  if (!checked.ok) throw new Error(`lab ${name}.yaml: ${scenarioErrorsMessage(checked.errors)}`);
  const { scenario } = checked;
  if (scenario.name !== name) throw new Error(`lab ${name}.yaml: its name is ${JSON.stringify(scenario.name)}`);
  if (!scenario.lab) throw new Error(`lab ${name}.yaml: no lab: block (title, what, why, fix)`);
  const { title, what, why, fix } = scenario.lab;
  const info = {
    name,
    title,
    what: what.trim(),
    why: why.trim(),
    fix: { python: fix.python.trimEnd(), node: fix.node.trimEnd() },
    steps: scenario.steps.length,
  };
  return { info, source, scenario };
}

let loaded: ReadonlyMap<string, Lab> | null = null;

function catalog(): ReadonlyMap<string, Lab> {
  loaded ??= new Map(LAB_NAMES.map((name) => [name, load(name)]));
  return loaded;
}

function lab(name: string): Lab {
  const found = catalog().get(name);
  if (!found) throw labNotFound(name);
  return found;
}

export const labList = (): LabList => ({ labs: [...catalog().values()].map((l) => l.info) });

export function labDetail(name: string): LabDetail {
  const { info, source } = lab(name);
  return { ...info, source };
}

/** A copy for one run: nothing a run does can change the catalog. */
export function labScenario(name: string): Scenario {
  return structuredClone(lab(name).scenario);
}
