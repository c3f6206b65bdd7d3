// A shared clock that ticks once a second (microseconds, whole seconds): ages move without re-rendering rows.
import { useSyncExternalStore } from 'react';

const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(fn: () => void): () => void {
  subscribers.add(fn);
  timer ??= setInterval(() => {
    for (const s of subscribers) s();
  }, 1000);
  return () => {
    subscribers.delete(fn);
    if (subscribers.size) return;
    clearInterval(timer);
    timer = undefined;
  };
}

// Whole seconds, so every read within one second agrees (useSyncExternalStore needs a stable snapshot).
const get = (): number => Math.floor(Date.now() / 1000) * 1_000_000;

export function useNow(): number {
  return useSyncExternalStore(subscribe, get, get);
}
