// Client connect attempts: one net.Socket per attempt, our own connect timer, retry with backoff.
import net from 'node:net';
import type { Fault } from '../../shared';
import { delayFor, type RetryPolicy } from './retry';
import { connectTimeoutFault, toFault } from './to-fault';

export interface DialTarget {
  host: string;
  port: number;
  timeoutMs: number;
  localAddress?: string;
  localPort?: number;
  family?: 0 | 4 | 6;
  lookup?: net.LookupFunction;
}

export interface DialHooks {
  attempt(attempt: number): void;
  fault(fault: Fault, attempt: number, retryInMs: number | null): void;
  /** The socket is connected; from now on it belongs to the caller. */
  connected(socket: net.Socket): void;
  gaveUp(cause: 'error' | 'timeout'): void;
}

/** Refusals of our own, not network faults: another attempt would be refused the same way. */
const noRetry = (fault: Fault): boolean => fault.code === 'SELF_CONNECT' || fault.code === 'TARGET_DENIED';

export class Dialer {
  attempt = 0;
  private current: net.Socket | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private cancelled = false;

  constructor(
    private readonly target: DialTarget,
    private readonly policy: RetryPolicy,
    private readonly hooks: DialHooks,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    this.retryTimer = null;
    const attempt = ++this.attempt;
    // Hooks emit events, and a subscriber may cancel us from inside one: check after each.
    this.hooks.attempt(attempt);
    if (this.cancelled) return;
    const socket = new net.Socket({ allowHalfOpen: true });
    this.current = socket;
    // Handlers stay attached for the socket's life: an abandoned attempt must never throw an unhandled 'error'.
    socket.on('connect', () => this.onConnect(socket));
    socket.on('error', (err) => this.onError(socket, err));
    this.connectTimer = setTimeout(() => this.onTimeout(socket), this.target.timeoutMs);
    try {
      socket.connect(this.connectOptions());
    } catch (err) {
      socket.destroy();
      this.fail(toFault(err, 'connecting', this.where()), 'error');
    }
  }

  /** Stops the current attempt or the pending retry; nothing more is reported. */
  cancel(): void {
    this.cancelled = true;
    this.clearTimers();
    this.current?.destroy();
    this.current = null;
  }

  private connectOptions(): net.TcpSocketConnectOpts {
    const { host, port, localAddress, localPort, family, lookup } = this.target;
    const opts: net.TcpSocketConnectOpts = { host, port };
    if (localAddress !== undefined) opts.localAddress = localAddress;
    if (localPort !== undefined) opts.localPort = localPort;
    if (family !== undefined) opts.family = family;
    if (lookup !== undefined) opts.lookup = lookup;
    return opts;
  }

  private where() {
    return { syscall: 'connect', address: this.target.host, port: this.target.port };
  }

  private onConnect(socket: net.Socket): void {
    if (socket !== this.current) return;
    this.clearTimers();
    this.current = null;
    this.hooks.connected(socket);
  }

  private onError(socket: net.Socket, err: Error): void {
    if (socket !== this.current) return;
    this.fail(toFault(err, 'connecting', this.where()), 'error');
  }

  private onTimeout(socket: net.Socket): void {
    if (socket !== this.current) return;
    socket.destroy();
    const { host, port, timeoutMs } = this.target;
    this.fail(connectTimeoutFault(host, port, timeoutMs, 'connecting'), 'timeout');
  }

  private fail(fault: Fault, cause: 'error' | 'timeout'): void {
    this.clearTimers();
    this.current = null;
    if (this.attempt < this.policy.attempts && !noRetry(fault)) {
      const delay = delayFor(this.attempt, this.policy, this.random);
      this.retryTimer = setTimeout(() => this.start(), delay);
      this.hooks.fault(fault, this.attempt, delay);
    } else {
      this.hooks.fault(fault, this.attempt, null);
      this.hooks.gaveUp(cause);
    }
  }

  private clearTimers(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.connectTimer = this.retryTimer = null;
  }
}
