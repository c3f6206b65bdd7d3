// Free-text filter, state filter and `Clear closed`.
import type { Ref } from 'react';
import { STATE_FILTERS, type StateFilter } from '../state/table-view';

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
      <button type="button" onClick={props.onClearClosed} title="Forget closed and failed rows in this tab">
        Clear closed
      </button>
    </div>
  );
}
