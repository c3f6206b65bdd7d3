// The detail pane's frame: a labelled region that takes focus on Enter and gives it back to the table on Escape.
import { useImperativeHandle, useRef, type Ref } from 'react';
import type { Store } from '../state/store';
import { DetailPane } from './detail/DetailPane';

export interface DetailHandle {
  focus(): void;
}

export function DetailSection(props: {
  store: Store;
  id: string | null;
  onBack: () => void;
  handle?: Ref<DetailHandle>;
}) {
  const ref = useRef<HTMLElement>(null);
  useImperativeHandle(props.handle, () => ({ focus: () => ref.current?.focus() }), []);
  return (
    <section
      ref={ref}
      id="detail-section"
      className="detail"
      aria-label="Detail"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        props.onBack();
      }}
    >
      <DetailPane store={props.store} id={props.id} />
    </section>
  );
}
