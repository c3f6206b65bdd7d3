// The live link: one WebSocket to /api/stream, every frame checked, reconnects resuming after the last seq.
import { parseFrame, streamCloseOf, type StreamFrame } from '../../shared';

/** refused: the server closed the stream with a code that asks to wait (too many stream clients). */
export type LinkStatus = 'connecting' | 'live' | 'reconnecting' | 'degraded' | 'refused';

export interface EventStreamOptions {
  onFrame: (frame: StreamFrame) => void;
  /** `why`: the server's close reason while refused (`too many stream clients (max 32)`), else null. */
  onStatus: (status: LinkStatus, why?: string | null) => void;
  /** Defaults to /api/stream on this page's origin; the auth cookie goes along. */
  url?: string;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Wait after a refusal; default the close code's retryAfterMs (STREAM_CLOSE). */
  refusedDelayMs?: number;
}

export interface EventStream {
  close(): void;
}

function streamUrl(base: string | undefined, since: number | null): string {
  const url = new URL(base ?? '/api/stream', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (since !== null) url.searchParams.set('since', String(since));
  return url.toString();
}

export function connectEventStream(opts: EventStreamOptions): EventStream {
  const minDelay = opts.minDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5000;
  let socket: WebSocket | null = null;
  let lastSeq: number | null = null;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let status: LinkStatus | null = null;
  let why: string | null = null;

  const setStatus = (next: LinkStatus, reason: string | null = null) => {
    if (next === status && reason === why) return;
    status = next;
    why = reason;
    opts.onStatus(next, reason);
  };

  const reject = (why: string, raw: unknown) => {
    console.error(`sockscope: dropped an invalid stream frame: ${why}`, raw);
    setStatus('degraded');
  };

  const deliver = (raw: unknown): void => {
    const checked = parseFrame(raw);
    if (!checked.ok) return reject(checked.error, raw);
    const frame = checked.value;
    if (frame.type === 'snapshot') {
      failures = 0;
      if (status !== 'degraded') setStatus('live');
    }
    lastSeq = Math.max(lastSeq ?? 0, frame.seq);
    opts.onFrame(frame);
  };

  // After the snapshot every message is a batch: a JSON array of events in seq order.
  const receive = (data: unknown) => {
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch {
      return reject('not JSON', data);
    }
    if (Array.isArray(raw)) for (const item of raw) deliver(item);
    else deliver(raw);
  };

  const open = () => {
    const ws = new WebSocket(streamUrl(opts.url, lastSeq));
    socket = ws;
    ws.onmessage = (m) => receive(m.data);
    // 'error' is always followed by 'close'; reconnecting is decided there. The handler must exist: Node's `ws`
    // throws an 'error' nobody listens to (closing a socket still connecting emits one).
    ws.onerror = () => {};
    ws.onclose = (e) => {
      if (socket !== ws || stopped) return;
      socket = null;
      const close = streamCloseOf(e.code);
      if (close?.retryAfterMs !== undefined) {
        // Retrying at once would be refused again until another client leaves: say why and wait longer.
        setStatus('refused', e.reason || close.reason);
        const delay = opts.refusedDelayMs ?? close.retryAfterMs;
        timer = setTimeout(open, delay + (Math.random() * delay) / 2);
        return;
      }
      setStatus(lastSeq === null && status === 'connecting' ? 'connecting' : 'reconnecting');
      const delay = Math.min(maxDelay, minDelay * 2 ** failures++);
      timer = setTimeout(open, delay / 2 + (Math.random() * delay) / 2);
    };
  };

  setStatus('connecting');
  open();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      const ws = socket;
      socket = null;
      if (ws === null) return;
      ws.onmessage = null;
      // Closing a socket still connecting aborts its handshake, which browsers log as an error: close once open.
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close();
      else ws.close();
    },
  };
}
