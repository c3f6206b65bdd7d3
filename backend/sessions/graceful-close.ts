// A graceful end for a session's cleanup: our FIN, then the peer's, so a user's server reads a clean EOF (b'')
// instead of ECONNRESET. Bounded: a peer that does not close in time is released without waiting.
import { isTerminal } from '../../shared';
import type { TrackedSocket } from '../inspector/tracked-socket';

/** Resolves true when the peer had not closed within maxMs of our FIN and the socket was released then. */
export async function closeGracefully(t: TrackedSocket, maxMs: number): Promise<boolean> {
  if (isTerminal(t.state)) return false;
  // Nothing was sent yet: there is no one to send a FIN to.
  if (t.state === 'connecting') {
    await t.abort();
    return false;
  }
  if (t.state === 'open' || t.state === 'half-closed-remote') sendFin(t);
  // A paused reader (hold, pause) would never see the peer's FIN; Node closes an allowHalfOpen socket once both
  // FINs have crossed, so reading on is what lets it close.
  if (!isTerminal(t.state) && t.snapshot().paused) t.setPaused(false);
  if (await settlesWithin(t.done, maxMs)) return false;
  // After our FIN libuv can no longer send an RST: abort() releases the fd (close(2)) and the kernel finishes.
  await t.abort();
  return true;
}

function sendFin(t: TrackedSocket): void {
  try {
    t.shutdown();
  } catch {
    // Already closing, or an error is on its way to 'close': nothing more to send.
  }
}

function settlesWithin(done: Promise<void>, maxMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), maxMs)));
  return Promise.race([done.then(() => true), late]).finally(() => clearTimeout(timer));
}
