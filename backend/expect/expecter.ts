// Expect (pexpect's idea): per connection and direction a cursor; waits that subscribe, time out and always clean up.
import type { Direction, ExpectReply, InspectorEvent, KernelAvailability } from '../../shared';
import type { ConnectionCapture } from '../inspector/capture';
import { inspectorDisposed, limitReached, requestError, type InspectorError } from '../inspector/errors';
import { ByteCondition } from './byte-condition';
import {
  FaultCondition,
  StateCondition,
  TcpStateCondition,
  type Condition,
  type ExpectTarget,
  type Outcome,
} from './conditions';
import { checkExpectBody, isByteSpec, type ByteSpec, type ExpectPlan } from './expect-spec';
import {
  BytesMatcher,
  MessageMatcher,
  RegexMatcher,
  TextMatcher,
  type ByteMatch,
  type StreamMatcher,
} from './matchers';

export interface ExpectHost {
  /** Events from now on (no replay); returns the unsubscribe. */
  subscribe(fn: (e: InspectorEvent) => void): () => void;
  refreshKernel(): Promise<void>;
  kernel(): KernelAvailability;
}

/** How often a tcpState expect reads /proc: the kernel poller's fast rate. */
export const TCP_STATE_POLL_MS = 250;
/** Expects waiting at once (each holds a subscription and a timer until it settles, at most 60 s). */
export const MAX_PENDING_EXPECTS = 1024;
/**
 * Captured chunks are joined into blocks this large before a regex sees them: it checks for a match after each push,
 * as if the text ended there, and history reads better as one text than read by read. A read's size (Node reads
 * 64 KiB at most), so a block costs what a live read does and the history's slices (byte-condition.ts) stay short.
 */
const REGEX_BLOCK_BYTES = 64 * 1024;

type Cursors = Record<Direction, number>;

export class Expecter {
  /** Keyed by the capture: a forgotten connection takes its cursors with it. */
  private readonly cursors = new WeakMap<ConnectionCapture, Cursors>();
  private readonly waits = new Set<(err: Error) => void>();
  private disposed = false;

  constructor(private readonly host: ExpectHost) {}

  /**
   * Where the next byte condition starts: past the last match, or at the oldest byte still captured when that is later
   * (the first expect, or bytes evicted since). Only the reply's `start` offsets show that bytes were skipped.
   */
  position(t: ExpectTarget, direction: Direction): number {
    const kept = t.capture.oldestOffset(direction);
    return Math.max(this.cursors.get(t.capture)?.[direction] ?? 0, kept);
  }

  /** Expects waiting now. */
  get pending(): number {
    return this.waits.size;
  }

  /** An abort (the HTTP client went away) rejects with the signal's reason and frees the wait at once. */
  expect(t: ExpectTarget, body: unknown, signal?: AbortSignal): Promise<ExpectReply> {
    const plan = checkExpectBody(body);
    if (this.disposed) return Promise.reject(inspectorDisposed());
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.waits.size >= MAX_PENDING_EXPECTS) throw limitReached('maxPendingExpects', MAX_PENDING_EXPECTS);
    const startedMs = performance.now();
    const condition = this.conditionFor(t, plan);
    return new Promise<ExpectReply>((resolve, reject) => {
      const timers: { limit?: NodeJS.Timeout; poll?: NodeJS.Timeout } = {};
      let settled = false;
      const finish = (outcome: Outcome | 'timeout' | Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timers.limit);
        clearTimeout(timers.poll);
        condition.stop?.();
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        this.waits.delete(finish);
        if (outcome instanceof Error) reject(outcome);
        else if (outcome !== 'timeout' && 'match' in outcome) resolve(this.reply(t, plan, outcome.match, startedMs));
        else reject(this.failure(t, plan, condition, outcome === 'timeout' ? null : outcome.never));
      };
      const check = (outcome: Outcome | null): void => {
        if (outcome) finish(outcome);
      };
      // Subscribe and look at what is already there in the same tick: no chunk falls between the two.
      const unsubscribe = this.host.subscribe((e) => {
        if (e.id === t.id) check(condition.event(e));
      });
      const onAbort = (): void => finish(signal?.reason as Error);
      signal?.addEventListener('abort', onAbort);
      this.waits.add(finish);
      check(condition.start(check));
      if (settled) return;
      timers.limit = setTimeout(() => finish('timeout'), plan.timeoutMs);
      if (plan.spec.condition !== 'tcpState') return;
      // Each read emits socket/kernel when the state changed: the subscription above sees it.
      const poll = (): void => {
        const again = (): void => {
          if (!settled) timers.poll = setTimeout(poll, TCP_STATE_POLL_MS);
        };
        this.host.refreshKernel().then(again, again);
      };
      poll();
    });
  }

  /** Pending expects fail with 503; new ones are refused. */
  dispose(): void {
    this.disposed = true;
    for (const finish of [...this.waits]) finish(inspectorDisposed());
  }

  private conditionFor(t: ExpectTarget, plan: ExpectPlan): Condition {
    const { spec } = plan;
    if (isByteSpec(spec)) {
      const from = this.position(t, plan.direction);
      const block = spec.condition === 'regex' ? REGEX_BLOCK_BYTES : 0;
      return new ByteCondition(t, plan.direction, matcherFor(spec, from), from, block);
    }
    switch (spec.condition) {
      case 'state':
        return new StateCondition(t, spec.state);
      case 'fault':
        return new FaultCondition(t, spec.code);
      case 'tcpState':
        return new TcpStateCondition(t, spec.tcpState, this.host.kernel());
    }
  }

  private reply(t: ExpectTarget, plan: ExpectPlan, match: ByteMatch | null, startedMs: number): ExpectReply {
    if (match) this.advance(t.capture, plan.direction, match.end);
    const row = t.snapshot();
    return {
      id: t.id,
      condition: plan.spec.condition,
      elapsedMs: Math.max(0, performance.now() - startedMs),
      match: match && {
        start: match.start,
        end: match.end,
        data: match.data.toString('base64'),
        ...(match.groups ? { groups: match.groups } : {}),
        ...(match.messages ? { messages: match.messages } : {}),
      },
      state: row.state,
      tcpState: row.tcpState,
      fault: row.fault?.code ?? null,
      cursor: this.position(t, plan.direction),
    };
  }

  /** Concurrent expects on one direction: the cursor only moves forward. */
  private advance(capture: ConnectionCapture, direction: Direction, end: number): void {
    let c = this.cursors.get(capture);
    if (!c) this.cursors.set(capture, (c = { in: 0, out: 0 }));
    c[direction] = Math.max(c[direction], end);
  }

  private failure(t: ExpectTarget, plan: ExpectPlan, condition: Condition, never: string | null): InspectorError {
    const { seen, text } = condition.seen();
    const bytes = isByteSpec(plan.spec);
    const where = `${t.id}${bytes ? ` (${plan.direction})` : ''}`;
    // What arrived helps with bytes; for a state or fault, `never` already said what the connection shows.
    const why = never === null ? ` within ${plan.timeoutMs} ms; ${text}` : `, but ${never}${bytes ? `; ${text}` : ''}`;
    return requestError('EXPECT_TIMEOUT', `expected ${plan.label} on ${where}${why}`, { seen });
  }
}

function matcherFor(spec: ByteSpec, from: number): StreamMatcher {
  switch (spec.condition) {
    case 'bytes':
      return new BytesMatcher(spec.count, from);
    case 'text':
      return new TextMatcher(spec.needle, from);
    case 'regex':
      return new RegexMatcher(spec.re, from);
    case 'message':
      return new MessageMatcher(spec.rule, spec.count, from);
  }
}
