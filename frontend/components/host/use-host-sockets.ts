// Polls GET /api/host/sockets about once a second while the view is shown, the page visible and not paused; the next
// request starts a second after the previous answer, so a slow host never stacks requests.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { HostSocketsQuery, HostSocketsReply } from '../../../shared';
import { api } from '../../api/client';

export const HOST_POLL_MS = 1000;

export interface HostPoll {
  /** The last answer (kept while paused, hidden or failing). */
  reply: HostSocketsReply | null;
  /** Why the last request failed; null after a success. */
  error: string | null;
}

const subscribeVisibility = (fn: () => void) => {
  document.addEventListener('visibilitychange', fn);
  return () => document.removeEventListener('visibilitychange', fn);
};
const pageVisible = () => document.visibilityState !== 'hidden';

const message = (e: unknown): string => {
  const code = (e as { code?: unknown }).code;
  const text = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' ? `${code}: ${text}` : text;
};

export function useHostSockets(
  query: HostSocketsQuery,
  running: boolean,
  fetchHost: (q: HostSocketsQuery) => Promise<HostSocketsReply> = api.hostSockets,
  intervalMs = HOST_POLL_MS,
): HostPoll {
  const [poll, setPoll] = useState<HostPoll>({ reply: null, error: null });
  const visible = useSyncExternalStore(subscribeVisibility, pageVisible, () => true);
  const active = running && visible;
  const { state, port } = query;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const reply = await fetchHost({ state, port });
        if (!stopped) setPoll({ reply, error: null });
      } catch (e) {
        if (!stopped) setPoll((p) => ({ reply: p.reply, error: message(e) }));
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, state, port, fetchHost, intervalMs]);
  return poll;
}
