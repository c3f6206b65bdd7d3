// HTTP over a plain socket, for what fetch cannot send (duplicate headers, half a request, a trickled body) and to see
// exactly what the server wrote before it closed.
import net from 'node:net';
import { within } from './loopback';

export interface RawResponse {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  /** The body parsed as JSON, or the text when it is not JSON. */
  body: unknown;
}

/** A plain connection that records every byte the server sends and when it closed. */
export class RawClient {
  readonly socket: net.Socket;
  readonly connected: Promise<void>;
  /** Resolves when the server (or we) closed the socket, with the ms since the client was made. */
  readonly closed: Promise<number>;
  private readonly startedAt = performance.now();
  private received = Buffer.alloc(0);

  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.on('error', () => {}); // a reset shows as 'close'
    this.socket.on('data', (b: Buffer) => (this.received = Buffer.concat([this.received, b])));
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.closed = new Promise((resolve) =>
      this.socket.once('close', () => resolve(performance.now() - this.startedAt)),
    );
  }

  write(text: string | Buffer): void {
    if (this.socket.writable) this.socket.write(text);
  }

  /** Forgets what was received so far (before the next request on a kept-alive connection). */
  clear(): void {
    this.received = Buffer.alloc(0);
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  /** The first complete response received, once its body is all there. */
  response(timeoutMs = 3000): Promise<RawResponse> {
    return within(
      new Promise<RawResponse>((resolve, reject) => {
        const check = () => {
          const parsed = parseResponse(this.text);
          if (parsed) {
            this.socket.off('data', check);
            resolve(parsed);
          }
        };
        this.socket.on('data', check);
        this.socket.once('close', () => {
          const parsed = parseResponse(this.text);
          if (parsed) resolve(parsed);
          else reject(new Error(`closed without a complete response; got ${JSON.stringify(this.text.slice(0, 200))}`));
        });
        check();
      }),
      timeoutMs,
      'an HTTP response',
    );
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Connects, sends `request` and resolves with the response. */
export async function rawRequest(port: number, request: string, timeoutMs = 3000): Promise<RawResponse> {
  const client = new RawClient(port);
  try {
    await client.connected;
    client.write(request);
    return await client.response(timeoutMs);
  } finally {
    client.destroy();
  }
}

function parseResponse(text: string): RawResponse | null {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? NaN);
  const rest = text.slice(end + 4);
  if (!Number.isInteger(length) || Buffer.byteLength(rest, 'latin1') < length) return null;
  const bodyText = Buffer.from(rest, 'latin1').subarray(0, length).toString('utf8');
  let body: unknown = bodyText;
  try {
    body = JSON.parse(bodyText);
  } catch {
    // not JSON: keep the text
  }
  return { status, headers, body };
}
