// socket/queue for one connection: Node's write buffer reported on change, at most once per interval.
import { DEFAULT_POLL_TIMING } from '../kernel/kernel-poller';

/** One report per poll tick at most: a 10 MB send is a handful of events, not one per write completion. */
export const QUEUE_REPORT_INTERVAL_MS = DEFAULT_POLL_TIMING.fastMs;

export class QueueReporter {
  private reported = 0;
  private reportedAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly current: () => number,
    private readonly report: (queuedBytes: number) => void,
    private readonly intervalMs = QUEUE_REPORT_INTERVAL_MS,
  ) {}

  /** Call whenever the buffer may have changed (write, drain, poll tick); reports now or once the interval is over. */
  check(): void {
    if (this.timer !== null || this.stopped) return; // a planned report reads the value when it runs
    const queued = this.current();
    if (queued === this.reported) return;
    const wait = this.reportedAt + this.intervalMs - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.check();
      }, wait);
      this.timer.unref();
      return;
    }
    this.reported = queued;
    this.reportedAt = performance.now();
    this.report(queued);
  }

  /** The connection ended: no more reports (its closed row says 0). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
