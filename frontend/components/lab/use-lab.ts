// Data of the Lab view: the list of labs, each lab's detail as it is opened, and the runs (followed through the store).
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { LabDetail, LabInfo, LabList } from '../../../shared';
import { api } from '../../api/client';
import { stepLabels, type LabRun } from '../../state/lab-run';
import { labRunsOf } from '../../state/lab-runs';
import type { Store } from '../../state/store';

export interface Loaded<T> {
  value: T | null;
  error: string | null;
}

// The labs are files shipped with the server and do not change while it runs: each app (store) fetches the list and
// each lab once, not on every visit to the tab. A failed fetch is forgotten, so the next visit tries again.
interface Fetched {
  list: Map<'list', Promise<LabList>>;
  details: Map<string, Promise<LabDetail>>;
}
const fetched = new WeakMap<Store, Fetched>();

function fetchedOf(store: Store): Fetched {
  let f = fetched.get(store);
  if (!f) fetched.set(store, (f = { list: new Map(), details: new Map() }));
  return f;
}

function once<K, T>(cache: Map<K, Promise<T>>, key: K, fetch: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = fetch();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

export function useLabList(store: Store): Loaded<LabInfo[]> {
  const [state, setState] = useState<Loaded<LabInfo[]>>({ value: null, error: null });
  useEffect(() => {
    let live = true;
    once(fetchedOf(store).list, 'list', api.labs).then(
      (list) => live && setState({ value: list.labs, error: null }),
      (e: unknown) => live && setState({ value: null, error: (e as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [store]);
  return state;
}

export interface OpenedLab {
  detail: LabDetail;
  labels: string[];
}

/** The details fetched so far, by name; fetching the selected one (and telling the runs its step labels). */
export function useLabDetails(store: Store, selected: string | null): ReadonlyMap<string, Loaded<OpenedLab>> {
  const [details, setDetails] = useState<ReadonlyMap<string, Loaded<OpenedLab>>>(() => new Map());
  const known = selected !== null && details.get(selected)?.value != null;
  useEffect(() => {
    if (selected === null || known) return;
    let live = true;
    once(fetchedOf(store).details, selected, () => api.lab(selected)).then(
      (detail) => {
        const labels = stepLabels(detail.source);
        labRunsOf(store).setLabels(selected, labels);
        if (live) setDetails((m) => new Map(m).set(selected, { value: { detail, labels }, error: null }));
      },
      (e: unknown) => live && setDetails((m) => new Map(m).set(selected, { value: null, error: (e as Error).message })),
    );
    return () => {
      live = false;
    };
  }, [store, selected, known]);
  return details;
}

export function useLabRuns(store: Store): {
  runs: ReadonlyMap<string, LabRun>;
  run: (lab: string, keep: boolean) => void;
} {
  const model = labRunsOf(store);
  const runs = useSyncExternalStore(model.subscribe, model.getRuns, model.getRuns);
  const run = useCallback(
    (lab: string, keep: boolean) => model.start(lab, () => api.runLab(lab, keep ? { keep } : {})),
    [model],
  );
  return { runs, run };
}
