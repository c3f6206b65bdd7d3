// The send form's options (cut the payload into writes, repeat it) <-> SendBody's split and repeat, checked here,
// and the plan preview: the same planSend() the backend runs, on the bytes as they would go out (decoded, framed).
import {
  describePlan,
  encodeFrame,
  planSend,
  type FramingRule,
  type SendReply,
  type SendRepeat,
  type SendSplit,
} from '../../shared';

export type SplitMode = 'one' | 'writes' | 'chunk';

export interface SendOptionsForm {
  mode: SplitMode;
  /** N writes or K bytes per write, by mode. */
  size: string;
  delayMs: string;
  repeat: string;
  intervalMs: string;
}

export const EMPTY_SEND_OPTIONS: SendOptionsForm = {
  mode: 'one',
  size: '2',
  delayMs: '0',
  repeat: '1',
  intervalMs: '0',
};

export type SendOptionsField = 'size' | 'delayMs' | 'repeat' | 'intervalMs';
export interface OptionsProblem {
  field: SendOptionsField;
  message: string;
}
export type FormOptions = { ok: true; split?: SendSplit; repeat?: SendRepeat } | ({ ok: false } & OptionsProblem);

// The bounds of SendSplitSchema / SendRepeatSchema.
const integer = (text: string, min: number, max: number): number | null => {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
};

/** split and repeat as the REST body takes them (left out when they change nothing), or the wrong field and why. */
export function formToOptions(f: SendOptionsForm): FormOptions {
  let split: SendSplit | undefined;
  if (f.mode !== 'one') {
    const writes = f.mode === 'writes';
    const size = writes ? integer(f.size, 1, 10_000) : integer(f.size, 1, 1 << 24);
    if (size === null)
      return {
        ok: false,
        field: 'size',
        message: writes ? 'writes: a whole number, 1 to 10000' : 'bytes per write: a whole number, 1 to 16777216',
      };
    const delayMs = integer(f.delayMs, 0, 10_000);
    if (delayMs === null) return { ok: false, field: 'delayMs', message: 'delay: whole milliseconds, 0 to 10000' };
    split = writes ? { writes: size } : { chunkBytes: size };
    if (delayMs) split.delayMs = delayMs;
  }
  const count = integer(f.repeat, 1, 10_000);
  if (count === null) return { ok: false, field: 'repeat', message: 'repeat: a whole number of times, 1 to 10000' };
  const intervalMs = integer(f.intervalMs, 0, 60_000);
  if (intervalMs === null)
    return { ok: false, field: 'intervalMs', message: 'interval: whole milliseconds, 0 to 60000' };
  const repeat: SendRepeat | undefined = count > 1 ? (intervalMs ? { count, intervalMs } : { count }) : undefined;
  return { ok: true, ...(split && { split }), ...(repeat && { repeat }) };
}

/** planSend() names body paths ("split.writes", "split", "repeat.intervalMs"): the form field each belongs to. */
export function fieldOfPlan(path: string): SendOptionsField {
  if (path === 'split.delayMs') return 'delayMs';
  if (path === 'repeat.intervalMs') return 'intervalMs';
  if (path.startsWith('repeat')) return 'repeat';
  return 'size';
}

/** The bytes one repetition writes: the payload, framed when a rule is given; null when that cannot be worked out. */
export function wireBytes(payload: Uint8Array | null, rule: FramingRule | undefined): Uint8Array | null {
  if (!payload) return null;
  if (!rule) return payload;
  const framed = encodeFrame(rule, payload);
  return framed.ok ? framed.bytes : null;
}

export type PlanPreview = { ok: true; text: string; writes: number } | ({ ok: false } & OptionsProblem);

/** "3 writes of 4, 3, 3 bytes, 100 ms apart", the field a bad option is about, or null when nothing can be said. */
export function previewPlan(wire: Uint8Array | null, options: FormOptions): PlanPreview | null {
  if (!options.ok) return options;
  if (!wire) return null;
  const r = planSend(wire, options.split, options.repeat);
  if (!r.ok) return { ok: false, field: fieldOfPlan(r.field), message: r.message };
  return { ok: true, text: describePlan(r.plan), writes: r.plan.totalWrites };
}

/** "Sent 10 B in 3 writes.", with why it stopped early when it did. */
export function sentNote(reply: SendReply, size: (n: number) => string, planned?: number): string {
  const writes = planned && reply.stopped ? `${reply.writes} of ${planned} writes` : plural(reply.writes, 'write');
  let text = `Sent ${size(reply.bytes)}${reply.writes === 1 && !reply.stopped ? '' : ` in ${writes}`}`;
  if (reply.stopped) text += `; stopped early: ${reply.stopped}`;
  if (reply.queuedBytes) text += `; ${size(reply.queuedBytes)} still queued in sockscope`;
  return `${text}.`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
