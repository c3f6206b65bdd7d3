// A responder set in brief, as rows and config events carry it.
import type { RespondersSummary } from '../../shared';
import type { ResponderSet } from './responder';

export function respondersSummary(set: ResponderSet | null): RespondersSummary {
  if (set === null || !set.active) return { mode: 'off', rules: 0 };
  // view() copies every rule: called once per change, not per snapshot.
  return { mode: set.mode, rules: set.view('').rules.length };
}
