// A real app on 127.0.0.1:0 plus a WebSocket client that checks every frame against the shared schemas.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildAppOptions } from '../../backend/app';
import { parseFrame, type InspectorEvent, type SnapshotFrame, type StreamFrame } from '../../shared';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read replies loosely and check them with schemas
export interface ApiResult<T = any> {
  status: number;
  headers: Headers;
  json: T;
}

export interface StartedApp {
  app: FastifyInstance;
  port: number;
  token: string;
  baseUrl: string;
  /** fetch with the bearer token; a body is sent as JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api<T = any>(method: string, path: string, body?: unknown): Promise<ApiResult<T>>;
  /** app.inject with Host 127.0.0.1:PORT and the bearer token unless `auth: false` (headers given win). */
  inject(opts: InjectOptions & { auth?: boolean }): Promise<LightMyRequestResponse>;
  /** Opens /api/stream (optionally resuming after `since`); resolves once the socket is open. */
  stream(
    since?: number,
    opts?: { query?: Record<string, string>; headers?: Record<string, string> },
  ): Promise<StreamClient>;
  close(): Promise<void>;
}

export async function startApp(opts: Partial<BuildAppOptions> = {}): Promise<StartedApp> {
  const token = opts.token ?? `test-${randomBytes(12).toString('hex')}`;
  const app = await buildApp({ ...opts, token });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('app is not listening on a TCP port');
  const port = address.port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const clients = new Set<StreamClient>();

  return {
    app,
    port,
    token,
    baseUrl,
    async api(method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) };
    },
    inject({ auth = true, headers, ...rest }) {
      return app.inject({
        ...rest,
        headers: { host: `127.0.0.1:${port}`, ...(auth ? { authorization: `Bearer ${token}` } : {}), ...headers },
      });
    },
    async stream(since, streamOpts = {}) {
      const query = new URLSearchParams(streamOpts.query ?? {});
      if (since !== undefined) query.set('since', String(since));
      const qs = query.toString();
      const client = new StreamClient(
        `ws://127.0.0.1:${port}/api/stream${qs ? '?' + qs : ''}`,
        streamOpts.headers ?? { authorization: `Bearer ${token}` },
      );
      clients.add(client);
      await client.opened;
      return client;
    },
    async close() {
      const invalid = [...clients].flatMap((c) => c.invalid);
      for (const c of clients) c.close();
      await app.close();
      if (invalid.length > 0) throw new Error(`invalid stream frames:\n${invalid.join('\n')}`);
    },
  };
}

type Waiter = { predicate: (f: StreamFrame) => boolean; resolve: (f: StreamFrame) => void; reject: (e: Error) => void };

/** Collects frames; any frame failing parseFrame fails every waitFor and close(). */
export class StreamClient {
  readonly frames: StreamFrame[] = [];
  readonly invalid: string[] = [];
  readonly opened: Promise<void>;
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;
  private waiters = new Set<Waiter>();

  constructor(url: string, headers: Record<string, string>) {
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (req, res) => {
        req.destroy();
        reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`));
      });
      this.ws.once('error', reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on('message', (data) => this.onMessage(data.toString()));
    this.ws.on('error', () => {}); // surfaced through `opened` / `closed`
  }

  get snapshot(): SnapshotFrame | undefined {
    const first = this.frames[0];
    return first?.type === 'snapshot' ? first : undefined;
  }

  /** Live events received after the snapshot. */
  get events(): InspectorEvent[] {
    return this.frames.filter((f): f is InspectorEvent => f.type !== 'snapshot');
  }

  waitFor<T extends StreamFrame = StreamFrame>(predicate: (f: StreamFrame) => boolean, timeoutMs = 5_000): Promise<T> {
    if (this.invalid.length > 0) return Promise.reject(new Error(`invalid frame: ${this.invalid[0]}`));
    const found = this.frames.find(predicate);
    if (found) return Promise.resolve(found as T);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${this.frames.length}: ${this.describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }

  private onMessage(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.fail(`not JSON: ${text.slice(0, 200)}`);
    }
    // After the snapshot, messages are batches (arrays of events); the first message must be the snapshot itself.
    if (Array.isArray(value) && this.frames.length === 0)
      return this.fail(`a batch before the snapshot: ${text.slice(0, 200)}`);
    for (const item of Array.isArray(value) ? value : [value]) {
      const checked = parseFrame(item);
      if (!checked.ok) return this.fail(`${checked.error} in ${text.slice(0, 300)}`);
      this.frames.push(checked.value);
      for (const w of this.waiters) {
        if (w.predicate(checked.value)) {
          this.waiters.delete(w);
          w.resolve(checked.value);
        }
      }
    }
  }

  private fail(message: string): void {
    this.invalid.push(message);
    for (const w of this.waiters) w.reject(new Error(`invalid frame: ${message}`));
    this.waiters.clear();
  }

  private describe(): string {
    return this.frames
      .slice(-12)
      .map((f) => ('id' in f ? `${f.seq}:${f.type}:${f.id}` : `${f.seq}:${f.type}`))
      .join(' ');
  }
}
