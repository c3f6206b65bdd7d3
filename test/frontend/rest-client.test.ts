// The browser's REST client against a stubbed fetch: checked replies, ApiRequestError with the API's code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiRequestError,
  getHealth,
  getMessages,
  getSockets,
  putResponders,
  setFraming,
} from '../../frontend/api/rest-client';

const reply = (status: number, body: unknown) =>
  vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

async function failure(p: Promise<unknown>): Promise<ApiRequestError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiRequestError);
  return e as ApiRequestError;
}

describe('rest client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('returns checked replies', async () => {
    vi.stubGlobal('fetch', reply(200, { listeners: [], connections: [] }));
    expect(await getSockets()).toEqual({ listeners: [], connections: [] });
    expect(vi.mocked(fetch).mock.calls[0]![0]).toBe('/api/sockets');
    vi.stubGlobal('fetch', reply(200, { ok: true, version: '0.1.0' }));
    expect(await getHealth()).toEqual({ ok: true, version: '0.1.0' });
  });

  it('throws the ApiError code and status', async () => {
    vi.stubGlobal('fetch', reply(401, { error: { code: 'UNAUTHORIZED', message: 'missing or wrong token' } }));
    const e = await failure(getSockets());
    expect([e.code, e.status, e.message]).toEqual(['UNAUTHORIZED', 401, 'missing or wrong token']);
  });

  it('treats a reply that breaks the contract as BAD_REPLY', async () => {
    vi.stubGlobal('fetch', reply(200, { listeners: 'none' }));
    expect((await failure(getSockets())).code).toBe('BAD_REPLY');
    vi.stubGlobal('fetch', reply(500, { oops: true }));
    expect((await failure(getSockets())).code).toBe('BAD_REPLY');
  });

  it('reports NETWORK when there is no reply', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('fetch failed'))),
    );
    const e = await failure(getHealth());
    expect([e.code, e.status]).toEqual(['NETWORK', null]);
  });

  it('sets framing, reads messages and puts responders at their paths, checking each reply', async () => {
    vi.stubGlobal('fetch', reply(200, { bogus: true }));
    expect((await failure(setFraming('listeners', 'l-1', { kind: 'json-header' }))).code).toBe('BAD_REPLY');
    const [url, init] = vi.mocked(fetch).mock.calls[0]!;
    expect([url, init?.method, init?.body]).toEqual([
      '/api/listeners/l-1/framing',
      'PUT',
      JSON.stringify({ framing: { kind: 'json-header' } }),
    ]);
    const messages = {
      id: 'c-1',
      direction: 'in',
      framing: null,
      messages: [],
      pending: null,
      error: null,
      skippedBytes: 0,
      droppedMessages: 0,
      lastIndex: 0,
      more: false,
    };
    vi.stubGlobal('fetch', reply(200, messages));
    expect(await getMessages('c-1', { direction: 'in', limit: 10 })).toEqual(messages);
    expect(vi.mocked(fetch).mock.calls[0]![0]).toBe('/api/connections/c-1/messages?direction=in&limit=10');
    const responders = { id: 'c-1', mode: 'echo', rules: [], echoes: 0, replies: 0, suppressed: 0, lastError: null };
    vi.stubGlobal('fetch', reply(200, responders));
    expect(await putResponders('connections', 'c-1', { mode: 'echo' })).toEqual(responders);
    expect(vi.mocked(fetch).mock.calls[0]![0]).toBe('/api/connections/c-1/responders');
  });
});
