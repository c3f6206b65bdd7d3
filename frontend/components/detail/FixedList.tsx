// A virtual list of fixed-height rows for the byte views. Unlike a general virtualiser it does no per-row work when
// rows are appended (a busy capture adds thousands per second): the visible range is arithmetic on scrollTop.
// It follows the tail while the user is at the bottom, and stays put once they scroll up.
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface FixedListProps {
  count: number;
  rowHeight: number;
  getKey: (index: number) => string | number;
  renderRow: (index: number) => ReactNode;
  label: string;
  className?: string;
}

const OVERSCAN = 10;

export function FixedList(props: FixedListProps) {
  const { count, rowHeight } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 0 });
  const follow = useRef(true);
  /** scrollTop we set ourselves: its scroll event must not be read as the user leaving the tail. */
  const ours = useRef(-1);
  const total = count * rowHeight;
  const totalRef = useRef(total);
  totalRef.current = total;

  // Track the viewport: scrolling and resizing change which rows exist.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const read = () => {
      const top = el.scrollTop;
      const height = el.clientHeight;
      setView((v) => (v.top === top && v.height === height ? v : { top, height }));
      if (Math.abs(top - ours.current) >= 1) follow.current = top + height >= totalRef.current - rowHeight;
    };
    read();
    el.addEventListener('scroll', read, { passive: true });
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(read) : null;
    resize?.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      resize?.disconnect();
    };
  }, [rowHeight]);

  // While following the tail the rows are laid out for the end already in this render; the layout effect then only
  // moves the scrollbar there (one reflow per batch, not two).
  const top = follow.current ? Math.max(0, total - view.height) : view.top;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !follow.current) return;
    el.scrollTop = top;
    ours.current = top;
  }, [top]);

  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + view.height) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={props.getKey(i)}
        role="listitem"
        className="vlist-row"
        data-index={i}
        style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight }}
      >
        {props.renderRow(i)}
      </div>,
    );
  }
  return (
    <div ref={scroller} className={`vlist ${props.className ?? ''}`} role="list" aria-label={props.label} tabIndex={0}>
      <div className="vlist-inner" style={{ height: total }}>
        {rows}
      </div>
    </div>
  );
}
