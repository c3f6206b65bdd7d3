// The framing rule a pane shows: the row's (kept live by socket/config and listener/config), or the one this pane's
// own PUT just answered with until the row moves on (the event may land a frame after the reply).
import { useState } from 'react';
import type { FramingRule } from '../../../shared';
import { framingText } from '../../state/config-text';

interface Applied {
  id: string;
  rule: FramingRule | null;
  /** The row's framing (by identity) when the reply came: any newer row value wins. */
  basis: FramingRule | null | undefined;
}

export function useAppliedFraming(id: string, rowFraming: FramingRule | null | undefined) {
  const [applied, setApplied] = useState<Applied | null>(null);
  const [applies, setApplies] = useState(0);
  const own = applied !== null && applied.id === id && applied.basis === rowFraming;
  const framing = own ? applied.rule : (rowFraming ?? null);
  return {
    framing,
    /**
     * Changes when the rule shown changes, or this pane applied one (decoding starts over even for the same rule):
     * what the Messages tab re-fetches on.
     */
    key: `${framingText(framing)}#${applies}`,
    onApplied: (rule: FramingRule | null) => {
      setApplied({ id, rule, basis: rowFraming });
      setApplies((n) => n + 1);
    },
  };
}
