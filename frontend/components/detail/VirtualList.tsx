// A virtualised list of rows of varying height (timeline entries, text blocks), measured once rendered; it follows
// the tail while the user is at the bottom (like `tail -f`) and stays put once they scroll up. Appending costs
// O(rows) in the virtualiser, so the fixed-height byte views use FixedList instead.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';

export interface VirtualListProps {
  count: number;
  /** Fixed row height, or the first guess when `measure` is set. */
  rowHeight: number;
  /** Rows of varying height (measured once rendered). */
  measure?: boolean;
  /** Keep it a stable callback: a new function makes the virtualiser recompute every row's position. */
  getKey: (index: number) => string | number;
  renderRow: (index: number) => ReactNode;
  label: string;
  className?: string;
}

export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, measure, getKey, renderRow } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  /** scrollTop we set ourselves: its scroll event must not be read as the user leaving the tail. */
  const ours = useRef(-1);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    getItemKey: getKey,
    overscan: 8,
  });
  const total = virtualizer.getTotalSize();

  // Follow the tail while at the bottom: new rows scroll into view, history stays still once scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !follow.current) return;
    el.scrollTop = el.scrollHeight;
    ours.current = el.scrollTop;
  }, [total]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      if (el.scrollTop !== ours.current) follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [rowHeight]);

  return (
    <div ref={scroller} className={`vlist ${props.className ?? ''}`} role="list" aria-label={props.label} tabIndex={0}>
      <div className="vlist-inner" style={{ height: total }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            role="listitem"
            className="vlist-row"
            data-index={item.index}
            ref={measure ? virtualizer.measureElement : undefined}
            style={{ transform: `translateY(${item.start}px)`, height: measure ? undefined : item.size }}
          >
            {renderRow(item.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
