// Send options: cut one payload into several writes (to reproduce "my message arrived in pieces") and repeat it.
// Pure planning shared by backend (which runs the plan with timers) and UI (which previews it).
import { Type, type Static } from 'typebox';
import { MAX_WAIT_MS } from './waits';

const strict = { additionalProperties: false } as const;

/** The bounds of one send's options, for the schemas below and the send form's messages. */
export const MAX_SPLIT_WRITES = 10_000;
export const MAX_CHUNK_BYTES = 1 << 24;
export const MAX_DELAY_MS = 10_000;
export const MAX_REPEAT = 10_000;
export const MAX_INTERVAL_MS = 60_000;

const DelayMs = Type.Integer({
  minimum: 0,
  maximum: MAX_DELAY_MS,
  description: 'Pause between two writes of one repetition',
});

/** Either N writes of (nearly) equal size or writes of K bytes (the last may be shorter). */
export const SendSplitSchema = Type.Union([
  Type.Object(
    { writes: Type.Integer({ minimum: 1, maximum: MAX_SPLIT_WRITES }), delayMs: Type.Optional(DelayMs) },
    strict,
  ),
  Type.Object(
    { chunkBytes: Type.Integer({ minimum: 1, maximum: MAX_CHUNK_BYTES }), delayMs: Type.Optional(DelayMs) },
    strict,
  ),
]);
export type SendSplit = Static<typeof SendSplitSchema>;

export const SendRepeatSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: MAX_REPEAT, description: 'How many times the whole payload is sent' }),
    intervalMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_INTERVAL_MS,
        description: 'Pause between the end of one repetition and the next',
      }),
    ),
  },
  strict,
);
export type SendRepeat = Static<typeof SendRepeatSchema>;

/** One send call may not keep going longer than any call waits, nor make more writes than this. */
export const MAX_SEND_SCHEDULE_MS = MAX_WAIT_MS;
export const MAX_SEND_WRITES = 100_000;

export interface SendPlan {
  /** The writes of one repetition: views into the payload, never copies. */
  pieces: Uint8Array[];
  delayMs: number;
  count: number;
  intervalMs: number;
  totalWrites: number;
  totalBytes: number;
  /** Time spent waiting between writes if every write is instant. */
  scheduleMs: number;
}

export type PlanResult = { ok: true; plan: SendPlan } | { ok: false; field: string; message: string };

/** Cuts the (already framed) payload; an empty payload is one empty write, so "repeat 3" of nothing makes 3 writes. */
export function planSend(payload: Uint8Array, split?: SendSplit, repeat?: SendRepeat): PlanResult {
  const pieces = cut(payload, split);
  if (split && 'writes' in split && split.writes > Math.max(1, payload.length)) {
    return {
      ok: false,
      field: 'split.writes',
      message: `cannot cut ${payload.length} bytes into ${split.writes} writes`,
    };
  }
  const delayMs = split?.delayMs ?? 0;
  const count = repeat?.count ?? 1;
  const intervalMs = repeat?.intervalMs ?? 0;
  const totalWrites = pieces.length * count;
  if (totalWrites > MAX_SEND_WRITES) {
    return {
      ok: false,
      field: split ? 'split' : 'repeat.count',
      message: `${totalWrites} writes (at most ${MAX_SEND_WRITES})`,
    };
  }
  const scheduleMs = (pieces.length - 1) * delayMs * count + (count - 1) * intervalMs;
  if (scheduleMs > MAX_SEND_SCHEDULE_MS) {
    return {
      ok: false,
      field: repeat?.intervalMs ? 'repeat.intervalMs' : 'split.delayMs',
      message: `the writes would take ${scheduleMs} ms (at most ${MAX_SEND_SCHEDULE_MS} ms per call)`,
    };
  }
  const plan = { pieces, delayMs, count, intervalMs, totalWrites, totalBytes: payload.length * count, scheduleMs };
  return { ok: true, plan };
}

function cut(payload: Uint8Array, split?: SendSplit): Uint8Array[] {
  if (!split || payload.length === 0) return [payload];
  const n = 'writes' in split ? Math.min(split.writes, payload.length) : Math.ceil(payload.length / split.chunkBytes);
  const pieces: Uint8Array[] = [];
  if ('chunkBytes' in split) {
    for (let at = 0; at < payload.length; at += split.chunkBytes)
      pieces.push(payload.subarray(at, at + split.chunkBytes));
    return pieces;
  }
  // N writes as even as possible: the first (length % n) writes get one byte more.
  const base = Math.floor(payload.length / n);
  const extra = payload.length % n;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const size = base + (i < extra ? 1 : 0);
    pieces.push(payload.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** "3 writes of 4, 4, 3 bytes, 100 ms apart" for the send form's preview. */
export function describePlan(plan: SendPlan): string {
  const sizes = plan.pieces.map((p) => p.length);
  const shown = sizes.length > 6 ? `${sizes.slice(0, 5).join(', ')}, ... ${sizes[sizes.length - 1]}` : sizes.join(', ');
  let text =
    plan.pieces.length === 1 ? `1 write of ${sizes[0]} bytes` : `${plan.pieces.length} writes of ${shown} bytes`;
  if (plan.pieces.length > 1 && plan.delayMs > 0) text += `, ${plan.delayMs} ms apart`;
  if (plan.count > 1) text += `; repeated ${plan.count} times${plan.intervalMs ? ` every ${plan.intervalMs} ms` : ''}`;
  return text;
}
