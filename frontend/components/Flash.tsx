// Wraps a cell's content and flashes it when `value` changes. A row that mounts (first render, scrolled into view)
// does not flash; once changed, every change does (a queue draining back to 0 included). A change while the flash
// still runs lets it run on instead of restarting it: restarting meant a new span per change, dozens a second on a
// busy connection, and that DOM churn was the table's largest cost under load (B5's page profile). So a value that
// keeps changing pulses about once per flash, and the class comes off when the animation ends.
import { useState, type ReactNode } from 'react';

export function Flash(props: { value: string | number | null; children: ReactNode }) {
  const [seen, setSeen] = useState({ value: props.value, flashing: false });
  if (seen.value !== props.value) setSeen({ value: props.value, flashing: true }); // derived state, set during render
  const flashing = seen.flashing || seen.value !== props.value;
  return (
    <span
      className={flashing ? 'flash' : undefined}
      onAnimationEnd={flashing ? () => setSeen((s) => ({ ...s, flashing: false })) : undefined}
    >
      {props.children}
    </span>
  );
}
