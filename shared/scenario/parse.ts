// Scenario file text -> value: JSON when it looks like JSON, YAML otherwise; errors say line and column.
import { parseDocument, type YAMLError } from 'yaml';
import type { ScenarioError } from './schema-errors';
import { validateScenario, type ScenarioValidation } from './validate';

export type ScenarioParseResult = { ok: true; value: unknown } | { ok: false; errors: ScenarioError[] };

/** Aliases let a tiny YAML file expand into a huge value ("billion laughs"): a scenario never needs many. */
const MAX_ALIASES = 50;

export function parseScenarioText(text: string): ScenarioParseResult {
  if (/^\s*[{[]/.test(text)) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (e) {
      return { ok: false, errors: [{ path: 'source', message: `not valid JSON: ${(e as Error).message}` }] };
    }
  }
  const doc = parseDocument(quoteAcceptedRefs(text), { uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first) return { ok: false, errors: [{ path: 'source', message: yamlMessage(text, first) }] };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown };
  } catch (e) {
    return { ok: false, errors: [{ path: 'source', message: `not valid YAML: ${(e as Error).message}` }] };
  }
}

/**
 * `{ on: srv.accepted[0] }` is how people (and the issue's own example) write a reference, but inside { } plain YAML
 * reads the `[` as a list. Quote such bare references first; quoted ones and block style are left as they are.
 */
export function quoteAcceptedRefs(text: string): string {
  return text.split('\n').map(quoteInLine).join('\n');
}

const BARE_REF = /^[A-Za-z_][\w-]*\.accepted\[\d+\]/;

/** Outside quotes and comments only: a reference inside a quoted string or a comment stays as written. */
function quoteInLine(line: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      out += c;
      if (c === '\\' && quote === '"') out += line[++i] ?? '';
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return out + line.slice(i);
    const prev = line[i - 1] ?? ' ';
    const ref = /[\s{,:[]/.test(prev) ? BARE_REF.exec(line.slice(i)) : null;
    if (ref) {
      out += `"${ref[0]}"`;
      i += ref[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** `not valid YAML: line 3, column 31: Unexpected flow-seq-start...`, with a hint for the usual trap. */
function yamlMessage(text: string, error: YAMLError): string {
  const where = error.linePos?.[0];
  const what = (error.message.split('\n')[0] ?? '').replace(/ at line [0-9]+, column [0-9]+:?$/, '');
  const line = where ? (text.split('\n')[where.line - 1] ?? '') : '';
  // `{ on: srv.accepted[0] }`: inside { } a bare [ opens a list.
  const hint = /\{[^}]*[A-Za-z0-9_]\[[0-9]+\]/.test(line) ? ' (inside { } write "srv.accepted[0]" in quotes)' : '';
  return `not valid YAML: ${where ? `line ${where.line}, column ${where.col}: ` : ''}${what}${hint}`;
}

/** Parse, then validate: what the CLI, the REST API and the lab do with a file's text. */
export function checkScenarioText(text: string): ScenarioValidation {
  const parsed = parseScenarioText(text);
  return parsed.ok ? validateScenario(parsed.value) : parsed;
}
