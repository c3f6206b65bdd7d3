// One REST call: bearer token (or the page's cookie), JSON both ways, the reply checked against its shared schema,
// errors as SockscopeError.
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { ApiErrorSchema } from '../index';
import { SockscopeError } from './errors';

export interface TransportOptions {
  /**
   * Where sockscope listens: http://127.0.0.1:7070 (a printed URL with ?token=... works too). Omitted: the page's own
   * server, for the UI sockscope serves: requests go to relative paths (/api/...) and the cookie set by the token URL
   * authorises them.
   */
  url?: string;
  /** The API token; default: the URL's ?token=. */
  token?: string;
  /** Default: the global fetch (Node 20, browsers), looked up on each call. */
  fetch?: typeof fetch;
}

type Checker = { Check(value: unknown): boolean };
const compiled = new WeakMap<TSchema, Checker>();
/** Each reply schema is compiled once, on first use. */
function checker(schema: TSchema): Checker {
  let c = compiled.get(schema);
  if (!c) compiled.set(schema, (c = Compile(schema)));
  return c;
}

export type Query = Record<string, string | number | boolean | undefined>;

export function queryString(q: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export class Transport {
  /** '' for the page's own server (paths stay relative). */
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly fetch: typeof fetch;

  constructor(opts: TransportOptions = {}) {
    const url = opts.url === undefined ? null : parseUrl(opts.url);
    this.token = opts.token ?? url?.searchParams.get('token') ?? undefined;
    this.baseUrl = url ? `${url.origin}${url.pathname.replace(/\/+$/, '')}` : '';
    // Looked up on each call, not bound once: a page (or a test) may replace the global fetch after this is built.
    this.fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async request<S extends TSchema>(
    method: string,
    path: string,
    reply: S,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Static<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const what = `${method} ${path.split('?')[0]}`;
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw new SockscopeError(0, 'NETWORK', `${what}: aborted`);
      throw new SockscopeError(0, 'NETWORK', `${what}: cannot reach ${this.baseUrl || 'sockscope'}: ${causeOf(e)}`);
    }
    const json = parseJson(text);
    if (!res.ok) throw errorFrom(res.status, json, what);
    if (!checker(reply).Check(json))
      throw new SockscopeError(
        res.status,
        'BAD_REPLY',
        `${what}: the reply does not match its schema (client and server versions differ?)`,
      );
    return json as Static<S>;
  }
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new SockscopeError(0, 'NETWORK', `not a URL: ${JSON.stringify(text)}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function errorFrom(status: number, json: unknown, what: string): SockscopeError {
  if (checker(ApiErrorSchema).Check(json)) {
    const { error } = json as Static<typeof ApiErrorSchema>;
    return new SockscopeError(status, error.code, error.message, error);
  }
  return new SockscopeError(status, 'BAD_REPLY', `${what}: HTTP ${status} without an error body (is this sockscope?)`);
}

/** Node's fetch hides the socket error (ECONNREFUSED...) in `cause`. */
function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return cause?.message ?? (e instanceof Error ? e.message : String(e));
}
