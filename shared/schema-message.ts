// The one way a value that fails a TypeBox schema becomes words: `{field: 'retry.attempts', message: 'must be ...'}`.
// REST replies, scenario checks, the inspector's own checks, the stream's frame checks and the UI's forms all use it,
// so the same bad input reads the same everywhere. It walks the schema beside the value: TypeBox's own error list is
// capped, speaks JSON pointers, and a union's branches drown the one mistake a person made.
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { plural } from './words';

export interface SchemaProblem {
  /** Where, as a dotted path with list indexes in brackets: `retry.attempts`, `steps[2].send.on`; '' for the value itself. */
  field: string;
  /** What is wrong, without the where: `must be an integer from 1 to 65535`. */
  message: string;
}

/**
 * The keywords read. `errorMessage` (an annotation of ours, as in ajv-errors) says what a string failing its `pattern`
 * must be ("must be an errno code such as ECONNREFUSED"); on a record, what its keys must be.
 */
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
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  errorMessage?: string;
}

export const joinField = (field: string, key: string | number): string =>
  typeof key === 'number' ? `${field}[${key}]` : field === '' ? key : `${field}.${key}`;

/** `retry.attempts: must be ...`, or the message alone for the value itself. */
export const problemText = (p: SchemaProblem): string => (p.field ? `${p.field}: ${p.message}` : p.message);

/** The first mistake that makes `value` fail `schema` (null when it passes); `field` is where the value sits. */
export function schemaProblem(schema: TSchema, value: unknown, field = ''): SchemaProblem | null {
  return schemaProblems(schema, value, field)[0] ?? null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every mistake that makes `value` fail `schema`, each at its own field; [] when it passes. */
export function schemaProblems(schema: TSchema, value: unknown, field = ''): SchemaProblem[] {
  if (Value.Check(schema, value)) return [];
  const s = schema as Shape;
  if (s.anyOf) return explainUnion(s, value, field);
  if (s.enum) return [{ field, message: `must be one of ${s.enum.map(String).join(', ')}` }];
  if (s.type === 'object' && s.properties) return explainObject(s, value, field);
  if (s.type === 'array' && s.items) return explainArray(s, value, field);
  if (s.type === 'object' && s.patternProperties && isObject(value)) return explainRecord(s, value, field);
  return [{ field, message: scalarMessage(schema, value) }];
}

function explainObject(s: Shape, value: unknown, field: string): SchemaProblem[] {
  if (!isObject(value)) return [{ field, message: `must be an object, got ${typeName(value)}` }];
  const props = s.properties ?? {};
  const known = Object.keys(props);
  const expected = known.length ? `expected one of ${known.join(', ')}` : 'expected none';
  const out: SchemaProblem[] = [];
  for (const key of Object.keys(value))
    if (!(key in props) && s.additionalProperties === false)
      out.push({ field: joinField(field, key), message: `unknown field (${expected})` });
  for (const key of s.required ?? [])
    if (value[key] === undefined) out.push({ field: joinField(field, key), message: 'is required' });
  for (const key of known)
    if (value[key] !== undefined) out.push(...schemaProblems(props[key] as TSchema, value[key], joinField(field, key)));
  if (out.length === 0 && s.minProperties !== undefined)
    out.push({ field, message: `give at least ${s.minProperties} of ${known.join(', ')}` });
  return out;
}

function explainArray(s: Shape, value: unknown, field: string): SchemaProblem[] {
  if (!Array.isArray(value)) return [{ field, message: `must be a list, got ${typeName(value)}` }];
  if (s.minItems !== undefined && value.length < s.minItems)
    return [{ field, message: `must have at least ${plural(s.minItems, 'item')}` }];
  if (s.maxItems !== undefined && value.length > s.maxItems)
    return [{ field, message: `must have at most ${s.maxItems} items, got ${value.length}` }];
  return value.flatMap((item, i) => schemaProblems(s.items as TSchema, item, joinField(field, i)));
}

function explainRecord(s: Shape, value: Record<string, unknown>, field: string): SchemaProblem[] {
  const [pattern, item] = Object.entries(s.patternProperties ?? {})[0] ?? ['', {}];
  return Object.entries(value).flatMap(([key, v]) =>
    new RegExp(pattern).test(key)
      ? schemaProblems(item as TSchema, v, joinField(field, key))
      : [{ field: joinField(field, key), message: s.errorMessage ?? `must be a key matching ${pattern}` }],
  );
}

/** Literals: list them. Otherwise explain the branch that fits the value's type (and `kind`, for framing rules). */
function explainUnion(s: Shape, value: unknown, field: string): SchemaProblem[] {
  const branches = s.anyOf ?? [];
  if (branches.every((b) => 'const' in b))
    return [{ field, message: `must be one of ${branches.map((b) => String(b.const)).join(', ')}` }];
  const typed = branches.filter((b) => fitsType(b, value));
  if (typed.length === 0) return [{ field, message: `must be ${branches.map(describeType).join(' or ')}` }];
  const discriminated = typed.filter((b) => discriminatorFits(b, value));
  if (discriminated.length === 0 && isObject(value)) {
    const key = discriminatorKey(typed[0]!) ?? 'kind';
    const allowed = typed.map((b) => String(b.properties?.[key]?.const));
    return [{ field: joinField(field, key), message: `must be one of ${allowed.join(', ')}` }];
  }
  // "port: abc": a string fitting no pattern where a number or a "${...}" reference may stand.
  if (typeof value === 'string' && discriminated.every((b) => b.pattern !== undefined))
    return [{ field, message: `must be ${branches.map(describeType).join(' or ')}` }];
  const explained = discriminated.map((b) => schemaProblems(b as TSchema, value, field));
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
  if (b.pattern !== undefined && b.errorMessage?.startsWith('must be ')) return b.errorMessage.slice('must be '.length);
  if (b.anyOf) return b.anyOf.map(describeType).join(' or ');
  const t = Array.isArray(b.type) ? b.type.join(' or ') : (b.type ?? 'something else');
  return t === 'object' ? 'an object' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${t}`;
}

/** "from 1 to 65535", ">= 1", "<= 60000", or '' without bounds. */
function range(s: Shape): string {
  if (s.minimum !== undefined && s.maximum !== undefined) return ` from ${s.minimum} to ${s.maximum}`;
  if (s.minimum !== undefined) return ` >= ${s.minimum}`;
  return s.maximum !== undefined ? ` <= ${s.maximum}` : '';
}

function scalarMessage(schema: TSchema, value: unknown): string {
  const s = schema as Shape;
  if ('const' in s) return `must be ${JSON.stringify(s.const)}`;
  if (!fitsType(s, value)) return `must be ${describeType(s)}, got ${typeName(value)}`;
  // A number outside its bounds, or a fraction where a whole number belongs: say the whole range.
  if (typeof value === 'number' && (s.type === 'integer' || s.type === 'number'))
    return `must be ${describeType(s)}${range(s)}`;
  if (typeof value === 'string') {
    if (s.maxLength !== undefined && value.length > s.maxLength)
      return `must be at most ${s.maxLength} characters long, got ${value.length}`;
    if (s.minLength !== undefined && value.length < s.minLength)
      return s.minLength === 1 ? 'must not be empty' : `must be at least ${s.minLength} characters long`;
    if (s.pattern !== undefined) return s.errorMessage ?? `must match ${s.pattern}`;
  }
  return [...Value.Errors(schema, value)][0]?.message ?? 'is invalid';
}
