// The draggable line between the table and the detail pane: a focusable ARIA separator (arrows, Home, End) whose value
// is the table's share in percent.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { SPLIT_MAX, SPLIT_MIN, splitAt, splitKey, type SplitAxis } from '../state/split';

export function SplitDivider(props: {
  axis: SplitAxis;
  pct: number;
  onChange: (pct: number, remember: boolean) => void;
  controls: string;
}) {
  const { axis, pct, onChange } = props;
  const dragging = useRef(false);
  const at = (e: PointerEvent<HTMLDivElement>) => {
    const box = e.currentTarget.parentElement?.getBoundingClientRect();
    return box ? splitAt(axis, box, e.clientX, e.clientY) : pct;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = splitKey(pct, axis, e.key, e.shiftKey);
    if (next === null) return;
    e.preventDefault();
    onChange(next, true);
  };
  return (
    <div
      className={`split-divider split-${axis}`}
      role="separator"
      tabIndex={0}
      aria-label="Resize the table and the detail pane"
      aria-controls={props.controls}
      // A separator is oriented like the line it draws: rows stacked make a horizontal line.
      aria-orientation={axis === 'rows' ? 'horizontal' : 'vertical'}
      aria-valuenow={Math.round(pct)}
      aria-valuemin={SPLIT_MIN}
      aria-valuemax={SPLIT_MAX}
      aria-valuetext={`table ${Math.round(pct)}%`}
      title="Drag (or focus and use the arrow keys) to share the space between the table and the detail"
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        e.currentTarget.focus();
        dragging.current = true;
      }}
      onPointerMove={(e) => {
        if (dragging.current) onChange(at(e), false);
      }}
      onPointerUp={(e) => {
        if (!dragging.current) return;
        dragging.current = false;
        e.currentTarget.releasePointerCapture(e.pointerId);
        onChange(at(e), true);
      }}
      onPointerCancel={() => {
        if (!dragging.current) return;
        dragging.current = false;
        onChange(pct, true);
      }}
    />
  );
}
