// The browser's REST client against a stubbed fetch: checked replies, ApiRequestError with the API's code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, getHealth, getSockets } from '../../frontend/api/rest-client';

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
});
