// What the send form would send: the framing it chose, the options as body fields, and the plan preview on the bytes
// as they would go out (computed again only when the payload, the rule or the options change).
import { useMemo } from 'react';
import type { FramingRule } from '../../../shared';
import { formToRule, type FramingForm } from '../../state/framing-form';
import { formToOptions, previewPlan, wireBytes, type SendOptionsForm } from '../../state/send-options';
import type { SendExtras } from '../../state/curl';

export type SendFraming = 'none' | 'connection' | 'other';
export type FramingChoice = { ok: true; rule: FramingRule | undefined } | { ok: false; message: string };

/** The rule to frame with (undefined: send raw), or the reason it cannot be used. */
export function chooseFraming(frameWith: SendFraming, own: FramingRule | null, other: FramingForm): FramingChoice {
  if (frameWith === 'connection')
    return own ? { ok: true, rule: own } : { ok: false, message: 'this connection has no framing rule' };
  if (frameWith === 'none') return { ok: true, rule: undefined };
  const r = formToRule(other);
  return r.ok ? { ok: true, rule: r.rule ?? undefined } : { ok: false, message: r.message };
}

export function useSendPlan(payload: Uint8Array | null, framing: FramingChoice, optionsForm: SendOptionsForm) {
  const rule = framing.ok ? framing.rule : undefined;
  // Keyed by the rule's text: chooseFraming() builds a new rule object on every render.
  const ruleKey = framing.ok ? JSON.stringify(rule ?? null) : null;
  const wire = useMemo(() => (ruleKey === null ? null : wireBytes(payload, rule)), [payload, ruleKey]);
  const options = useMemo(() => formToOptions(optionsForm), [optionsForm]);
  const plan = useMemo(() => previewPlan(wire, options), [wire, options]);
  const problem = plan && !plan.ok ? { field: plan.field, message: plan.message } : null;
  const extras: SendExtras = { framing: rule, ...(options.ok && { split: options.split, repeat: options.repeat }) };
  return { plan, problem, extras };
}
