// One DetailModel per selected id: created on selection, fed by the store's raw events, disposed on change.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { api } from '../../api/client';
import { DetailModel, type DetailSource } from '../../state/detail-model';
import type { Store } from '../../state/store';

const restSource: DetailSource = { getEvents: api.events, getChunks: api.chunks };
const noop = () => () => {};
const zero = () => 0;

/** The model for `id` (null until created) and its version, which changes on every visible update. */
export function useDetailModel(store: Store, id: string | null, source: DetailSource = restSource) {
  const [model, setModel] = useState<DetailModel | null>(null);
  useEffect(() => {
    if (!id) {
      setModel(null);
      return;
    }
    const m = new DetailModel(id, source);
    // Subscribe before loading: events arriving while history loads are held and merged, not lost.
    const off = store.onEvents(m.receive);
    void m.start();
    setModel(m);
    return () => {
      off();
      m.dispose();
    };
  }, [store, id, source]);
  const current = model && model.id === id ? model : null;
  const version = useSyncExternalStore(current?.subscribe ?? noop, current?.getVersion ?? zero);
  return { model: current, version };
}
