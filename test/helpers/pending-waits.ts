// Waiting on the inspector's count of pending long polls (expect, ?wait=1), which emits no event of its own.
import type { StartedApp } from './app';
import { within } from './loopback';

/** Resolves once pendingWaits is `n`, looking after every turn of the event loop (setImmediate), up to the deadline. */
export function pendingWaitsBecome(s: StartedApp, n: number, timeoutMs = 3000): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      const look = () => (s.app.inspector.pendingWaits === n ? resolve() : setImmediate(look));
      look();
    }),
    timeoutMs,
    `pendingWaits to become ${n} (it is ${s.app.inspector.pendingWaits})`,
  );
}
