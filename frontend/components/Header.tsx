// The header: name, the view tabs (the App passes them in), link status, last seq and the counts that matter.
import { useMemo, type ReactNode } from 'react';
import type { TableState } from '../state/fold';
import { useUi, type LinkStatus, type Store, type UiState } from '../state/store';
import { plural } from '../format';

const LINK_TITLES: Record<LinkStatus, string> = {
  connecting: 'Opening the event stream…',
  live: 'Receiving events as they happen',
  reconnecting: 'The event stream dropped; reconnecting and resuming after the last seq',
  lagged:
    'This tab fell behind and the server dropped events it had not sent: rows are current, some bytes and timeline entries are missing',
  degraded: 'A frame failed its schema check and was dropped (see the console)',
  refused:
    'The server refused the event stream; this tab tries again in a while (close another sockscope tab to free a place)',
};

export interface Counts {
  listening: number;
  live: number;
  failed: number;
}

export function countRows(table: TableState): Counts {
  let listening = 0;
  let live = 0;
  let failed = 0;
  for (const l of table.listeners.values()) {
    if (l.state === 'listening') listening++;
    else if (l.state === 'failed') failed++;
  }
  for (const c of table.connections.values()) {
    if (c.state === 'failed') failed++;
    else if (c.state !== 'closed') live++;
  }
  return { listening, live, failed };
}

const selectTable = (s: UiState) => s.table;
const selectLink = (s: UiState) => s.link;
const selectLinkWhy = (s: UiState) => s.linkWhy;
const selectMissed = (s: UiState) => s.missed;

export function Header(props: { store: Store; children?: ReactNode }) {
  const table = useUi(props.store, selectTable);
  const link = useUi(props.store, selectLink);
  const why = useUi(props.store, selectLinkWhy);
  const missed = useUi(props.store, selectMissed);
  const counts = useMemo(() => countRows(table), [table]);
  return (
    <header className="app-header">
      <h1>sockscope</h1>
      {props.children}
      <span className={`link link-${link}`} role="status" aria-label="Link status" title={LINK_TITLES[link]}>
        {why ? `${link}: ${why}` : link}
      </span>
      <dl className="counts">
        <div>
          <dt>listening</dt>
          <dd>{counts.listening}</dd>
        </div>
        <div>
          <dt>live connections</dt>
          <dd>{counts.live}</dd>
        </div>
        <div className={counts.failed ? 'has-failed' : undefined}>
          <dt>failed</dt>
          <dd>{counts.failed}</dd>
        </div>
        <div title="Sequence number of the last event folded in">
          <dt>last seq</dt>
          <dd>{table.seq}</dd>
        </div>
      </dl>
      {missed > 0 && (
        <span className="missed" title={LINK_TITLES.lagged}>
          {plural(missed, 'event')} missed
        </span>
      )}
    </header>
  );
}
