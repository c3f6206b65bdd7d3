// The errno badge: red, the code and number as text, the explanation in its title.
import type { JSX } from 'react';
import type { Fault } from '../../shared';
import { errnoLabel, faultExplanation } from '../format';

export function FaultBadge(props: { fault: Fault | null }): JSX.Element | null {
  const { fault } = props;
  if (!fault) return null;
  return (
    <span className="fault-badge" title={faultExplanation(fault)} data-code={fault.code}>
      {errnoLabel(fault)}
    </span>
  );
}
