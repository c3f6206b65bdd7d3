// Schema failures as `steps[2].send.port: must be <= 65535`: walks the schema beside the value (TypeBox's own error
// list is capped and a union's branches drown the one mistake a person made).
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { NAME_PATTERN } from './schema';

export interface ScenarioError {
  /** Where: `steps[2].send.on`, `name`, `source`. */
  path: string;
  message: string;
}

interface Shape {
  type?: string | string[];
  anyOf?: Shape[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Shape>;
  required?: string[];
  additionalProperties?: boolean | Shape;
  patternProperties?: Record<string, Shape>;
  items?: Shape;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  pattern?: string;
}

const REFERENCE_PATTERN = '^\\$\\{[^}]+\\}$';
const PATTERN_WORDS: Record<string, string> = {
  [NAME_PATTERN]: 'must be a name: a letter or _, then letters, digits, _ or - (at most 64)',
  '^E[A-Z0-9]+$': 'must be an errno code such as ECONNREFUSED',
  [REFERENCE_PATTERN]: 'must be exactly one "${...}" reference',
};

export const joinPath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every mistake that makes `value` fail `schema`, each at its own path; [] when it passes. */
export function explainSchema(schema: TSchema, value: unknown, path: string): ScenarioError[] {
  if (Value.Check(schema, value)) return [];
  const s = schema as Shape;
  if (s.anyOf) return explainUnion(s, value, path);
  if (s.enum) return [{ path, message: `must be one of ${s.enum.map(String).join(', ')}` }];
  if (s.type === 'object' && s.properties) return explainObject(s, value, path);
  if (s.type === 'array' && s.items) return explainArray(s, value, path);
  if (s.type === 'object' && s.patternProperties && isObject(value)) return explainRecord(s, value, path);
  return [{ path, message: scalarMessage(schema, value) }];
}

function explainObject(s: Shape, value: unknown, path: string): ScenarioError[] {
  if (!isObject(value)) return [{ path, message: `must be an object, got ${typeName(value)}` }];
  const props = s.properties ?? {};
  const known = Object.keys(props);
  const out: ScenarioError[] = [];
  for (const key of Object.keys(value))
    if (!(key in props) && s.additionalProperties === false)
      out.push({ path: joinPath(path, key), message: `unknown field (expected one of ${known.join(', ')})` });
  for (const key of s.required ?? [])
    if (value[key] === undefined) out.push({ path: joinPath(path, key), message: 'is required' });
  for (const key of known)
    if (value[key] !== undefined) out.push(...explainSchema(props[key] as TSchema, value[key], joinPath(path, key)));
  if (out.length === 0 && s.minProperties !== undefined)
    out.push({ path, message: `give at least ${s.minProperties} of ${known.join(', ')}` });
  return out;
}

function explainArray(s: Shape, value: unknown, path: string): ScenarioError[] {
  if (!Array.isArray(value)) return [{ path, message: `must be a list, got ${typeName(value)}` }];
  if (s.minItems !== undefined && value.length < s.minItems)
    return [{ path, message: `must have at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}` }];
  if (s.maxItems !== undefined && value.length > s.maxItems)
    return [{ path, message: `must have at most ${s.maxItems} items, got ${value.length}` }];
  return value.flatMap((item, i) => explainSchema(s.items as TSchema, item, joinPath(path, i)));
}

function explainRecord(s: Shape, value: Record<string, unknown>, path: string): ScenarioError[] {
  const [pattern, item] = Object.entries(s.patternProperties ?? {})[0] ?? ['', {}];
  return Object.entries(value).flatMap(([key, v]) =>
    new RegExp(pattern).test(key)
      ? explainSchema(item as TSchema, v, joinPath(path, key))
      : [{ path: joinPath(path, key), message: PATTERN_WORDS[NAME_PATTERN] ?? 'bad name' }],
  );
}

/** Literals: list them. Otherwise explain the branch that fits the value's type (and `kind`, for framing rules). */
function explainUnion(s: Shape, value: unknown, path: string): ScenarioError[] {
  const branches = s.anyOf ?? [];
  if (branches.every((b) => 'const' in b))
    return [{ path, message: `must be one of ${branches.map((b) => String(b.const)).join(', ')}` }];
  const typed = branches.filter((b) => fitsType(b, value));
  if (typed.length === 0) return [{ path, message: `must be ${branches.map(describeType).join(' or ')}` }];
  const discriminated = typed.filter((b) => discriminatorFits(b, value));
  if (discriminated.length === 0 && isObject(value)) {
    const key = discriminatorKey(typed[0]!) ?? 'kind';
    const allowed = typed.map((b) => String(b.properties?.[key]?.const));
    return [{ path: joinPath(path, key), message: `must be one of ${allowed.join(', ')}` }];
  }
  // "port: abc": a string that is no reference, where a number or a reference may stand.
  if (typeof value === 'string' && discriminated.every((b) => b.pattern === REFERENCE_PATTERN))
    return [{ path, message: `must be ${branches.map(describeType).join(' or ')}` }];
  const explained = discriminated.map((b) => explainSchema(b as TSchema, value, path));
  return explained.reduce((best, e) => (e.length < best.length ? e : best));
}

const discriminatorKey = (b: Shape): string | undefined =>
  Object.entries(b.properties ?? {}).find(([, p]) => 'const' in p)?.[0];

function discriminatorFits(b: Shape, value: unknown): boolean {
  const key = discriminatorKey(b);
  return key === undefined || !isObject(value) || value[key] === b.properties?.[key]?.const;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function fitsType(b: Shape, value: unknown): boolean {
  if ('const' in b) return typeof b.const === typeof value;
  if (b.anyOf) return b.anyOf.some((x) => fitsType(x, value));
  const types = Array.isArray(b.type) ? b.type : b.type ? [b.type] : [];
  if (types.length === 0) return true;
  return types.some((t) => {
    if (t === 'integer' || t === 'number') return typeof value === 'number';
    if (t === 'object') return isObject(value);
    if (t === 'array') return Array.isArray(value);
    if (t === 'null') return value === null;
    return typeof value === t;
  });
}

function describeType(b: Shape): string {
  if ('const' in b) return JSON.stringify(b.const);
  if (b.pattern === REFERENCE_PATTERN) return 'a "${...}" reference';
  if (b.anyOf) return b.anyOf.map(describeType).join(' or ');
  const t = Array.isArray(b.type) ? b.type.join(' or ') : (b.type ?? 'something else');
  return t === 'object' ? 'an object' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${t}`;
}

function scalarMessage(schema: TSchema, value: unknown): string {
  const s = schema as Shape;
  if (s.pattern && typeof value === 'string') return PATTERN_WORDS[s.pattern] ?? `must match ${s.pattern}`;
  if (!fitsType(s, value)) return `must be ${describeType(s)}, got ${typeName(value)}`;
  const first = [...Value.Errors(schema, value)][0];
  return first?.message ?? 'is invalid';
}
