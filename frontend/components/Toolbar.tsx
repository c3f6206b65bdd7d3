// The toolbar: the two create forms behind compact disclosures (one open at a time, the table pushed down, never
// covered), then the filter bar.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ConnectionRow, ListenerRow } from '../../shared';
import type { Store } from '../state/store';
import { NewConnectionForm } from './forms/NewConnectionForm';
import { NewListenerForm } from './forms/NewListenerForm';

type Which = 'listener' | 'connection';

export function Toolbar(props: {
  onCreated: (row: ListenerRow | ConnectionRow) => void;
  /** Lets the connect form follow the row it made. */
  store?: Store;
  children: ReactNode;
}) {
  const [open, setOpen] = useState<Which | null>(null);
  const buttons = { listener: useRef<HTMLButtonElement>(null), connection: useRef<HTMLButtonElement>(null) };
  const toggle = (w: Which) => setOpen((o) => (o === w ? null : w));
  const close = () => {
    if (open) buttons[open].current?.focus();
    setOpen(null);
  };

  const disclosure = (w: Which, label: string) => (
    <button
      ref={buttons[w]}
      type="button"
      className="disclosure"
      aria-expanded={open === w}
      aria-controls={`create-${w}`}
      onClick={() => toggle(w)}
    >
      <span aria-hidden="true">{open === w ? '−' : '+'}</span> {label}
    </button>
  );

  return (
    <div className="toolbar-area">
      <div className="toolbar">
        {disclosure('listener', 'New listener')}
        {disclosure('connection', 'New connection')}
        <span className="toolbar-gap" />
        {props.children}
      </div>
      <CreatePanel id="create-listener" hidden={open !== 'listener'} onClose={close}>
        <NewListenerForm onCreated={props.onCreated} />
      </CreatePanel>
      <CreatePanel id="create-connection" hidden={open !== 'connection'} onClose={close}>
        <NewConnectionForm onCreated={props.onCreated} {...(props.store ? { store: props.store } : {})} />
      </CreatePanel>
    </div>
  );
}

// Both forms stay mounted while hidden, so a half-filled form survives switching between them. The forms label
// themselves (role form), so the panel is a plain box. Opening it puts the cursor in its first field.
function CreatePanel(props: { id: string; hidden: boolean; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!props.hidden) ref.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [props.hidden]);
  return (
    <div
      ref={ref}
      id={props.id}
      className="create-panel"
      hidden={props.hidden}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        props.onClose();
      }}
    >
      {props.children}
      <button type="button" className="close" aria-label="Close form" title="Close (Esc)" onClick={props.onClose}>
        ×
      </button>
    </div>
  );
}
