// Free-text filter, state filter, session filter and `Clear closed`.
import type { Ref } from 'react';
import { STATE_FILTERS, type StateFilter } from '../state/table-view';
import type { SessionOption } from '../hooks/useSessionOptions';

const STATE_LABELS: Record<StateFilter, string> = {
  all: 'All states',
  live: 'Live (not closed)',
  listening: 'listening',
  connecting: 'connecting',
  open: 'open',
  'half-closed': 'half-closed',
  closed: 'closed',
  failed: 'failed',
  errno: 'With an errno',
};

const isStateFilter = (v: string): v is StateFilter => (STATE_FILTERS as readonly string[]).includes(v);

export function FilterBar(props: {
  text: string;
  onText: (text: string) => void;
  state: StateFilter;
  onState: (state: StateFilter) => void;
  onClearClosed: () => void;
  /** Sessions seen in the rows; the select shows only when there is one (or a session is chosen). */
  sessions?: readonly SessionOption[];
  session?: string | null;
  onSession?: (session: string | null) => void;
  /** ArrowDown in the filter: on to the table. */
  onLeave?: () => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <div className="filter-bar" role="search">
      <input
        ref={props.inputRef}
        type="text"
        aria-label="Filter"
        placeholder="Filter   id, address, port:8080, state, errno"
        spellCheck={false}
        autoComplete="off"
        value={props.text}
        onChange={(e) => props.onText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && props.text) {
            e.stopPropagation();
            props.onText('');
          } else if (e.key === 'ArrowDown' && props.onLeave) {
            e.preventDefault();
            props.onLeave();
          }
        }}
      />
      <select
        aria-label="State filter"
        value={props.state}
        onChange={(e) => isStateFilter(e.target.value) && props.onState(e.target.value)}
      >
        {STATE_FILTERS.map((s) => (
          <option key={s} value={s}>
            {STATE_LABELS[s]}
          </option>
        ))}
      </select>
      <SessionSelect sessions={props.sessions ?? []} session={props.session ?? null} onSession={props.onSession} />
      <button type="button" onClick={props.onClearClosed} title="Forget closed and failed rows in this tab">
        Clear closed
      </button>
    </div>
  );
}

function SessionSelect(props: {
  sessions: readonly SessionOption[];
  session: string | null;
  onSession: ((session: string | null) => void) | undefined;
}) {
  const { sessions, session, onSession } = props;
  if (!onSession || (sessions.length === 0 && session === null)) return null;
  // A chosen session whose rows are all gone still shows, so the filter can be seen and cleared.
  const shown =
    session === null || sessions.some((s) => s.id === session) ? sessions : [...sessions, { id: session, name: null }];
  return (
    <select aria-label="Session filter" value={session ?? ''} onChange={(e) => onSession(e.target.value || null)}>
      <option value="">All sessions</option>
      {shown.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name === null ? s.id : `${s.name} (${s.id})`}
        </option>
      ))}
    </select>
  );
}
