// The views of the workspace, as ARIA tabs: sockscope's own sockets (Connections), the whole host's table, the Lab.
import { useRef, type KeyboardEvent } from 'react';

export type AppView = 'connections' | 'host' | 'lab';

const VIEWS: readonly { id: AppView; label: string; title: string }[] = [
  { id: 'connections', label: 'Connections', title: "sockscope's listeners and connections" },
  { id: 'host', label: 'Host sockets', title: 'Every TCP socket on this machine, like ss -tan' },
  { id: 'lab', label: 'Lab', title: 'The classic socket mistakes, each reproducible with one click' },
];

const tabId = (v: AppView) => `view-tab-${v}`;
export const VIEW_PANEL_ID = 'view-panel';

/** Props for the element that shows the current view. */
export const viewPanelProps = (view: AppView) =>
  ({ id: VIEW_PANEL_ID, role: 'tabpanel', 'aria-labelledby': tabId(view) }) as const;

export function ViewTabs(props: { view: AppView; onView: (view: AppView) => void }) {
  const list = useRef<HTMLDivElement>(null);
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const i = VIEWS.findIndex((v) => v.id === props.view);
    const n = VIEWS.length;
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : (i + (e.key === 'ArrowRight' ? 1 : n - 1)) % n;
    props.onView(VIEWS[next]!.id);
    list.current?.querySelectorAll<HTMLElement>('[role="tab"]')[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="View" className="view-tabs" ref={list} onKeyDown={onKey}>
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          id={tabId(v.id)}
          aria-selected={v.id === props.view}
          aria-controls={VIEW_PANEL_ID}
          tabIndex={v.id === props.view ? 0 : -1}
          title={v.title}
          onClick={() => props.onView(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
