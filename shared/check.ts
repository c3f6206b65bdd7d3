// Compiled validators for what crosses the wire; the browser checks every frame and reply with these. A failure reads
// as any schema failure does (shared/schema-message.ts): `replay[1].to: must be one of ...`.
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import {
  InspectorEventSchema,
  SnapshotFrameSchema,
  type InspectorEvent,
  type SnapshotFrame,
  type StreamFrame,
} from './events';
import { problemText, schemaProblem } from './schema-message';

export type CheckResult<T> = { ok: true; value: T } | { ok: false; error: string };

interface Checker {
  schema: TSchema;
  validator: ReturnType<typeof Compile<TSchema>>;
}
const checker = (schema: TSchema): Checker => ({ schema, validator: Compile(schema) });

// One validator per `type`, so an error names the field of the right variant, not of the first union member.
const byType = new Map<string, Checker>();
for (const variant of (InspectorEventSchema as unknown as { anyOf: TSchema[] }).anyOf) {
  const literal = (variant as unknown as { properties: { type: { const: string } } }).properties.type.const;
  byType.set(literal, checker(variant));
}
const snapshot = checker(SnapshotFrameSchema);
byType.set('snapshot', snapshot);

function check<T>(c: Checker | undefined, x: unknown, what: string): CheckResult<T> {
  if (!c) return { ok: false, error: `unknown ${what} type ${JSON.stringify((x as { type?: unknown })?.type)}` };
  if (c.validator.Check(x)) return { ok: true, value: x as T };
  const problem = schemaProblem(c.schema, x);
  return { ok: false, error: problem ? problemText(problem) : 'invalid' };
}

const typeOf = (x: unknown): string | undefined =>
  typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string'
    ? (x as { type: string }).type
    : undefined;

export function parseFrame(x: unknown): CheckResult<StreamFrame> {
  const t = typeOf(x);
  return check(t === undefined ? undefined : byType.get(t), x, 'frame');
}

export function parseEvent(x: unknown): CheckResult<InspectorEvent> {
  const t = typeOf(x);
  return check(t === undefined || t === 'snapshot' ? undefined : byType.get(t), x, 'event');
}

export function parseSnapshot(x: unknown): CheckResult<SnapshotFrame> {
  return check(snapshot, x, 'snapshot');
}
