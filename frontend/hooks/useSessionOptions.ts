// The sessions the table's rows belong to, with their names (fetched from /api/sessions when a new one shows up).
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useUi, type Store, type UiState } from '../state/store';
import { sessionsInTable } from '../state/table-view';

export interface SessionOption {
  id: string;
  /** null until the name is known (or when the backend has forgotten the session). */
  name: string | null;
}

// A string, so the component re-renders only when the set of sessions changes, not on every frame.
const selectSessionIds = (s: UiState): string => sessionsInTable(s.table).join(' ');

export function useSessionOptions(store: Store): SessionOption[] {
  const key = useUi(store, selectSessionIds);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(() => new Map());
  const ids = key === '' ? [] : key.split(' ');
  const missing = ids.some((id) => !names.has(id));
  useEffect(() => {
    if (!missing) return;
    let live = true;
    api
      .sessions()
      .then((list) => {
        if (live) setNames(new Map(list.sessions.map((s) => [s.id, s.name])));
      })
      .catch(() => {}); // names are a nicety: the ids still filter
    return () => {
      live = false;
    };
  }, [key, missing]);
  return ids.map((id) => ({ id, name: names.get(id) ?? null }));
}
