// One WebSocket client of /api/stream: events batched per event-loop turn into one message (a JSON array), each event
// serialised once however many clients there are, and a bounded backlog per client.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { STREAM_CLOSE, type InspectorEvent, type Limits, type SnapshotFrame } from '../../shared';
import { eventJson, withoutPayload } from '../inspector/data-event';

/** A batch is sent early past this many characters, so one message never holds an unbounded burst. */
const MAX_BATCH_CHARS = 1 << 20;

/**
 * Shared by the clients of one app. The log hands each event to every client back to back, so one slot per form
 * serialises it once however many clients there are (profiling B4: JSON.stringify per event per client was the
 * largest cost), without keeping any text on the events the replay log holds. Caught-up clients also receive the very
 * same events in the same turn: the first to flush joins and encodes the batch and the others reuse it.
 */
export class StreamEncoder {
  private last: InspectorEvent | null = null;
  private lastText = '';
  private lastBare: InspectorEvent | null = null;
  private lastBareText = '';
  private lastBatch: { key: string; frame: Buffer } | null = null;

  json(e: InspectorEvent): string {
    if (this.last !== e) {
      this.last = e;
      this.lastText = eventJson(e);
    }
    return this.lastText;
  }

  bareJson(e: InspectorEvent & { type: 'socket/data' }): string {
    if (this.lastBare !== e) {
      this.lastBare = e;
      this.lastBareText = JSON.stringify(withoutPayload(e));
    }
    return this.lastBareText;
  }

  /** key: the batch's content when it is the same for every client (null: this client's own batch). */
  frame(key: string | null, parts: string[]): Buffer {
    if (key !== null && this.lastBatch?.key === key) return this.lastBatch.frame;
    const frame = Buffer.from(`[${parts.join(',')}]`);
    if (key !== null) this.lastBatch = { key, frame };
    return frame;
  }
}

/**
 * ws's bufferedAmount counts what the client has not taken yet. Past streamSoftBytes, data events lose their payload
 * (length and counts stay exact; the UI fetches the bytes from /chunks); past streamHardBytes the client is cut off
 * with STREAM_CLOSE.lagged and resumes with ?since.
 */
export class StreamSender {
  onLagged: () => void = () => {};
  private droppedBytes = 0;
  private truncatedEvents = 0;
  private done = false;
  private early: InspectorEvent[] | null = [];
  private batch: string[] = [];
  private batchChars = 0;
  /** Identify a batch's content (first and last seq, count) when no payload in it was left out. */
  private batchFirst = 0;
  private batchLast = 0;
  private batchBare = 0;
  private flushing: NodeJS.Immediate | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: Limits,
    private readonly log: FastifyBaseLogger,
    private readonly encoder: StreamEncoder,
  ) {}

  sendSnapshot(snapshot: SnapshotFrame): void {
    this.socket.send(JSON.stringify(snapshot));
    const early = this.early ?? [];
    this.early = null;
    for (const event of early) this.send(event);
  }

  send(event: InspectorEvent): void {
    if (this.early) {
      this.early.push(event); // only if the inspector emitted inside subscribe(): keep the snapshot first
      return;
    }
    if (this.done || this.socket.readyState !== this.socket.OPEN) return;
    const buffered = this.socket.bufferedAmount + this.batchChars;
    if (buffered > this.limits.streamHardBytes) return this.lagged(buffered);
    let text: string;
    if (
      event.type === 'socket/data' &&
      !event.truncated &&
      buffered + event.length * 1.4 > this.limits.streamSoftBytes
    ) {
      this.droppedBytes += event.length;
      this.truncatedEvents++;
      this.batchBare++;
      text = this.encoder.bareJson(event);
    } else {
      text = this.encoder.json(event);
    }
    if (this.batch.length === 0) this.batchFirst = event.seq;
    this.batchLast = event.seq;
    this.batch.push(text);
    this.batchChars += text.length + 1;
    if (this.batchChars >= MAX_BATCH_CHARS) this.flush();
    else this.flushing ??= setImmediate(() => this.flush());
  }

  closed(): void {
    this.done = true;
    this.cancelFlush();
    if (this.truncatedEvents > 0)
      this.log.info(
        { droppedBytes: this.droppedBytes, truncatedEvents: this.truncatedEvents },
        'stream client dropped payloads',
      );
  }

  private flush(): void {
    this.cancelFlush();
    if (this.batch.length === 0 || this.done) return;
    // A batch with payloads left out is this client's own: which ones depends on its backlog.
    const key = this.batchBare === 0 ? `${this.batchFirst}:${this.batchLast}:${this.batch.length}` : null;
    const frame = this.encoder.frame(key, this.batch);
    this.batch = [];
    this.batchChars = 0;
    this.batchBare = 0;
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame, { binary: false });
  }

  private cancelFlush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
  }

  private lagged(buffered: number): void {
    this.done = true;
    this.cancelFlush();
    this.batch = [];
    this.onLagged();
    this.log.warn({ buffered, limit: this.limits.streamHardBytes }, 'stream client lagged; disconnecting');
    this.socket.close(STREAM_CLOSE.lagged.code, STREAM_CLOSE.lagged.reason);
  }
}
