// Sends with options: checks a send body and cuts its payload, then makes the writes on the plan's timers, stopping
// early (with the reason) once the connection cannot take them; owns those timers until each send ends.
import {
  decodePayload,
  encodeFrame,
  isTerminal,
  isWritable,
  PayloadEncodingSchema,
  planSend,
  SendRepeatSchema,
  SendSplitSchema,
  type Limits,
  type SendBody,
  type SendPlan,
  type SendReply,
} from '../../shared';
import {
  badPayload,
  badRequest,
  InspectorError,
  payloadTooLarge,
  queueTotalFull,
  sendTooLarge,
} from '../inspector/errors';
import type { QueueBudget } from '../inspector/queue-budget';
import type { TrackedSocket } from '../inspector/tracked-socket';
import { checkFraming, checkSchema } from '../inspector/validate';

interface SendOutcome {
  writes: number;
  bytes: number;
  stopped: string | null;
}

/** Where a job writes: `write` throws (NOT_WRITABLE, LIMIT_REACHED) when the connection cannot take the piece now. */
interface SendTarget {
  write(piece: Uint8Array): void;
  /** Why writing stopped, e.g. "connection closed", "queue full (...)". */
  explain(err: unknown): string;
}

/** Decodes, frames and cuts the payload; throws (nothing written) for a bad body or one the limits refuse. */
export function planFor(body: SendBody, limits: Limits, budget: QueueBudget): SendPlan {
  if (body.encoding !== undefined) checkSchema(PayloadEncodingSchema, body.encoding, 'encoding');
  if (body.split !== undefined) checkSchema(SendSplitSchema, body.split, 'split');
  if (body.repeat !== undefined) checkSchema(SendRepeatSchema, body.repeat, 'repeat');
  const decoded = decodePayload(body.data, body.encoding ?? 'utf8');
  if (!decoded.ok) throw badPayload(decoded.message);
  let bytes = decoded.bytes;
  if (body.framing !== undefined) {
    const framed = encodeFrame(checkFraming(body.framing)!, bytes);
    if (!framed.ok) throw badPayload(framed.message, 'framing');
    bytes = framed.bytes;
  }
  if (bytes.length > limits.maxSendBytes) throw payloadTooLarge(bytes.length, limits.maxSendBytes);
  const planned = planSend(bytes, body.split, body.repeat);
  if (!planned.ok) throw badRequest(`${planned.field}: ${planned.message}`, planned.field);
  const { max, limit } = budget.largestSend();
  if (planned.plan.totalBytes > max)
    throw sendTooLarge(planned.plan.totalBytes, max, body.repeat ? 'repeat.count' : 'data', limit);
  return planned.plan;
}

/** One send in progress: each repetition's pieces in order, `delayMs` between pieces, `intervalMs` between repetitions. */
class SendJob {
  private made = 0;
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private resolve!: (outcome: SendOutcome) => void;
  readonly outcome = new Promise<SendOutcome>((resolve) => (this.resolve = resolve));

  constructor(
    private readonly plan: SendPlan,
    private readonly target: SendTarget,
  ) {}

  get running(): boolean {
    return !this.finished;
  }

  /** Makes every write due now: all of them when the plan has no pauses. Throws when the first write is impossible. */
  start(): Promise<SendOutcome> {
    this.step();
    return this.outcome;
  }

  /** Ends the job before its next write; the outcome names why. */
  stop(why: string): void {
    if (!this.finished) this.finish(`${why} after ${this.made} of ${this.plan.totalWrites} writes`);
  }

  private step(): void {
    this.timer = undefined;
    const { pieces, totalWrites } = this.plan;
    while (!this.finished) {
      const piece = pieces[this.made % pieces.length]!;
      try {
        this.target.write(piece);
      } catch (err) {
        if (this.made === 0) throw err;
        return this.stop(this.target.explain(err));
      }
      this.made++;
      this.bytes += piece.length;
      if (this.made === totalWrites) return this.finish(null);
      const pause = this.made % pieces.length === 0 ? this.plan.intervalMs : this.plan.delayMs;
      if (pause > 0) {
        this.timer = setTimeout(() => this.step(), pause);
        return;
      }
    }
  }

  private finish(stopped: string | null): void {
    this.finished = true;
    clearTimeout(this.timer);
    this.resolve({ writes: this.made, bytes: this.bytes, stopped });
  }
}

/** "connection closed", "connection failed (ECONNRESET)", "connection closing": why a connection takes no more writes. */
function connectionWhy(t: TrackedSocket): string {
  const { state, fault } = t.snapshot();
  const word = isTerminal(state) || !isWritable(state) ? state : 'closing';
  return `connection ${word}${state === 'failed' && fault ? ` (${fault.code})` : ''}`;
}

// The other connections' buffers cannot change while a job writes in one synchronous burst (only the event loop
// drains them), so they are counted once per burst: a repeat of 8192 writes does not walk every row 8192 times.
const elsewhere = new WeakMap<TrackedSocket, number>();

/** Throws LIMIT_REACHED (maxQueuedBytesTotal) when `bytes` more on `t` would pass the total of all queues. */
function assertTotalRoom(t: TrackedSocket, bytes: number, budget: QueueBudget): void {
  let others = elsewhere.get(t);
  if (others === undefined) {
    others = budget.total() - t.queuedBytes;
    elsewhere.set(t, others);
    queueMicrotask(() => elsewhere.delete(t));
  }
  const queued = others + t.queuedBytes;
  const max = budget.limits.maxQueuedBytesTotal;
  if (queued + bytes > max) throw queueTotalFull(queued, bytes, max);
}

/** The sends still waiting on a timer, so closing a connection or the inspector ends them. */
export class SendJobs {
  private readonly running = new Set<SendJob>();

  async send(t: TrackedSocket, body: SendBody, limits: Limits, budget: QueueBudget): Promise<SendReply> {
    const plan = planFor(body, limits, budget);
    const job = new SendJob(plan, {
      write: (piece) => {
        assertTotalRoom(t, piece.length, budget);
        t.send(Buffer.from(piece.buffer, piece.byteOffset, piece.length));
      },
      explain: (err) => {
        if (!(err instanceof InspectorError)) return `write failed (${String(err)})`;
        if (err.code !== 'LIMIT_REACHED') return connectionWhy(t);
        if (err.extra.limit === 'maxQueuedBytesTotal')
          return `queue full (${budget.total()} bytes still queued over all connections; maxQueuedBytesTotal is ${budget.limits.maxQueuedBytesTotal})`;
        return `queue full (${t.queuedBytes} bytes still queued; maxQueuedBytesPerConnection is ${budget.limits.maxQueuedBytesPerConnection})`;
      },
    });
    const outcome = job.start();
    if (job.running) {
      this.running.add(job);
      void t.done.then(() => job.stop(connectionWhy(t)));
      void outcome.then(() => this.running.delete(job));
    }
    const { writes, bytes, stopped } = await outcome;
    return { id: t.id, bytes, bytesOut: t.capture.bytesOut, queuedBytes: t.queuedBytes, writes, stopped };
  }

  /** Ends every send still in progress (each resolves with `stopped`); no timer is left behind. */
  stopAll(why: string): void {
    for (const job of [...this.running]) job.stop(why);
  }
}
