// A fake sockscope API behind a stubbed fetch, a Store fed by hand, and layout stubs so virtualised lists render in jsdom.
import { afterAll, beforeAll, vi } from 'vitest';
import { Store } from '../../frontend/state/store';
import type { Chunk, ConnectionRow, InspectorEvent, ListenerRow, SnapshotFrame } from '../../shared';

export interface Call {
  method: string;
  url: string;
  body: unknown;
}

type Handler = (call: Call) => { status: number; body: unknown } | undefined;

/** The API as far as the pane uses it: events and chunks from these arrays (paged like the server), actions by handler. */
export function fakeApi(state: { events: InspectorEvent[]; chunks: Chunk[] }, handler: Handler = () => undefined) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://127.0.0.1:7070');
    const call: Call = {
      method: init?.method ?? 'GET',
      url: input,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : null,
    };
    calls.push(call);
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const custom = handler(call);
    if (custom) return json(custom.status, custom.body);
    const since = Number(url.searchParams.get('since') ?? 0);
    if (url.pathname === '/api/events') {
      const id = url.searchParams.get('id');
      const events = state.events.filter((e) => e.seq > since && (!id || e.id === id));
      const lastSeq = state.events.at(-1)?.seq ?? 0;
      return json(200, { events, oldestSeq: state.events[0]?.seq ?? 0, lastSeq, lagged: false, more: false });
    }
    const chunks = url.pathname.match(/^\/api\/connections\/(c-\d+)\/chunks$/);
    if (chunks) {
      const list = state.chunks.filter((c) => c.index > since);
      const lastIndex = state.chunks.at(-1)?.index ?? 0;
      return json(200, { id: chunks[1], chunks: list, droppedBytes: 0, droppedChunks: 0, lastIndex, more: false });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: `no route ${call.method} ${url.pathname}` } });
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, calls };
}

/** A store whose frames apply when the test says so. */
export function storeWith(rows: { connections?: ConnectionRow[]; listeners?: ListenerRow[] }, seq = 100): Store {
  const store = new Store(() => {});
  const snapshot: SnapshotFrame = {
    type: 'snapshot',
    seq,
    at: 1,
    sockets: { listeners: rows.listeners ?? [], connections: rows.connections ?? [] },
    since: null,
    replay: [],
    lagged: false,
    missed: 0,
  };
  store.receive(snapshot);
  store.flush();
  return store;
}

/** jsdom lays nothing out: give elements a size so the virtualiser (which reads clientHeight) renders rows. */
export function withLayout(): void {
  const props = { clientHeight: 600, clientWidth: 800, offsetHeight: 600, offsetWidth: 800 } as const;
  const saved = new Map<string, PropertyDescriptor | undefined>();
  beforeAll(() => {
    for (const [name, value] of Object.entries(props)) {
      const proto = name.startsWith('client') ? Element.prototype : HTMLElement.prototype;
      saved.set(name, Object.getOwnPropertyDescriptor(proto, name));
      Object.defineProperty(proto, name, { configurable: true, get: () => value });
    }
  });
  afterAll(() => {
    for (const name of Object.keys(props)) {
      const proto = name.startsWith('client') ? Element.prototype : HTMLElement.prototype;
      const d = saved.get(name);
      if (d) Object.defineProperty(proto, name, d);
    }
  });
}
