// Wraps a cell's content and flashes it when `value` changes: a new key remounts the span, which restarts the CSS
// animation. A row that mounts (first render, scrolled into view) does not flash; once changed, every change does
// (a queue draining back to 0 included).
import { useState, type ReactNode } from 'react';

export function Flash(props: { value: string | number | null; children: ReactNode }) {
  const [seen, setSeen] = useState({ value: props.value, changed: false });
  if (seen.value !== props.value) setSeen({ value: props.value, changed: true }); // derived state, set during render
  const changed = seen.changed || seen.value !== props.value;
  return (
    <span key={String(props.value)} className={changed ? 'flash' : undefined}>
      {props.children}
    </span>
  );
}
