// Compiled validators for what crosses the wire; the browser checks every frame and reply with these.
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import {
  InspectorEventSchema,
  SnapshotFrameSchema,
  type InspectorEvent,
  type SnapshotFrame,
  type StreamFrame,
} from './events';

export type CheckResult<T> = { ok: true; value: T } | { ok: false; error: string };

type Validator = ReturnType<typeof Compile<TSchema>>;

// One validator per `type`, so an error names the field of the right variant, not of the first union member.
const byType = new Map<string, Validator>();
for (const variant of (InspectorEventSchema as unknown as { anyOf: TSchema[] }).anyOf) {
  const literal = (variant as unknown as { properties: { type: { const: string } } }).properties.type.const;
  byType.set(literal, Compile(variant));
}
const snapshot = Compile(SnapshotFrameSchema);
byType.set('snapshot', snapshot as unknown as Validator);

function check<T>(v: Validator | undefined, x: unknown, what: string): CheckResult<T> {
  if (!v) return { ok: false, error: `unknown ${what} type ${JSON.stringify((x as { type?: unknown })?.type)}` };
  if (v.Check(x)) return { ok: true, value: x as T };
  for (const e of v.Errors(x)) {
    const replayed = v === (snapshot as unknown as Validator) ? replayError(x, e.instancePath) : null;
    return { ok: false, error: replayed ?? `${e.instancePath || '/'} ${e.message}` };
  }
  return { ok: false, error: 'invalid' };
}

// The snapshot's replay is a union too: re-check the failing entry by its own type, as for live events.
function replayError(x: unknown, path: string): string | null {
  const m = /^\/replay\/(\d+)/.exec(path);
  if (!m) return null;
  const r = parseEvent((x as { replay: unknown[] }).replay[Number(m[1])]);
  if (r.ok) return null;
  return m[0] + (r.error.startsWith('/') ? r.error.replace(/^\/ /, ' ') : ` ${r.error}`);
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
  return check(snapshot as unknown as Validator, x, 'snapshot');
}
