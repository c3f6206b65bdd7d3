// One event stream per page, feeding the store: frames to `receive`, link status to `setLink`.
import { useEffect } from 'react';
import { connectEventStream, type EventStream, type EventStreamOptions } from '../api/event-stream';
import type { Store } from '../state/store';

export type ConnectStream = (opts: EventStreamOptions) => EventStream;

export function useEventStream(store: Store, connect: ConnectStream = connectEventStream): void {
  useEffect(() => {
    const stream = connect({ onFrame: (f) => store.receive(f), onStatus: (s, why) => store.setLink(s, why) });
    return () => stream.close();
  }, [store, connect]);
}
