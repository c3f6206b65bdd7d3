// The send form's options (cut the payload into writes, repeat it) <-> SendBody's split and repeat, checked here,
// and the plan preview: the same planSend() the backend runs, on the bytes as they would go out (decoded, framed).
import {
  describePlan,
  encodeFrame,
  MAX_CHUNK_BYTES,
  MAX_DELAY_MS,
  MAX_INTERVAL_MS,
  MAX_REPEAT,
  MAX_SPLIT_WRITES,
  planSend,
  type FramingRule,
  type SendReply,
  type SendRepeat,
  type SendSplit,
} from '../../shared';
import { plural } from '../format';
import { wholeNumber } from './framing-form';

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

/** split and repeat as the REST body takes them (left out when they change nothing), or the wrong field and why. */
export function formToOptions(f: SendOptionsForm): FormOptions {
  let split: SendSplit | undefined;
  if (f.mode !== 'one') {
    const writes = f.mode === 'writes';
    const size = wholeNumber(f.size, 1, writes ? MAX_SPLIT_WRITES : MAX_CHUNK_BYTES);
    if (size === null)
      return {
        ok: false,
        field: 'size',
        message: writes
          ? `writes: a whole number, 1 to ${MAX_SPLIT_WRITES}`
          : `bytes per write: a whole number, 1 to ${MAX_CHUNK_BYTES}`,
      };
    const delayMs = wholeNumber(f.delayMs, 0, MAX_DELAY_MS);
    if (delayMs === null)
      return { ok: false, field: 'delayMs', message: `delay: whole milliseconds, 0 to ${MAX_DELAY_MS}` };
    split = writes ? { writes: size } : { chunkBytes: size };
    if (delayMs) split.delayMs = delayMs;
  }
  const count = wholeNumber(f.repeat, 1, MAX_REPEAT);
  if (count === null)
    return { ok: false, field: 'repeat', message: `repeat: a whole number of times, 1 to ${MAX_REPEAT}` };
  const intervalMs = wholeNumber(f.intervalMs, 0, MAX_INTERVAL_MS);
  if (intervalMs === null)
    return { ok: false, field: 'intervalMs', message: `interval: whole milliseconds, 0 to ${MAX_INTERVAL_MS}` };
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
  const writes =
    planned && reply.stopped ? `${reply.writes} of ${plural(planned, 'write')}` : plural(reply.writes, 'write');
  let text = `Sent ${size(reply.bytes)}${reply.writes === 1 && !reply.stopped ? '' : ` in ${writes}`}`;
  if (reply.stopped) text += `; stopped early: ${reply.stopped}`;
  if (reply.queuedBytes) text += `; ${size(reply.queuedBytes)} still queued in sockscope`;
  return `${text}.`;
}
