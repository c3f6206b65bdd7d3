// The session filter of the table: a session's listeners, their accepted connections and its clients; ids in order.
import { describe, expect, it } from 'vitest';
import { buildView, createViewMemo, sessionOf, sessionsInTable } from '../../frontend/state/table-view';
import { accepted, client, listener, table, viewIds, viewOpts } from './table-factories';

const rows = [
  listener(1, { session: 's-1' }),
  listener(2),
  client(1, { session: 's-1' }),
  accepted(2, 1, { session: 's-1' }),
  accepted(3, 1), // no session of its own (an older backend): its listener's counts
  client(4, { session: 's-2', state: 'failed' }),
  accepted(5, 2),
  client(6, { session: null }),
];

describe('session filter', () => {
  it('shows the session’s listeners with their accepted connections, and its clients', () => {
    const t = table(rows);
    expect(viewIds(buildView(t, viewOpts({ session: 's-1' })))).toEqual(['l-1', '  c-2', '  c-3', 'c-1']);
    expect(viewIds(buildView(t, viewOpts({ session: 's-2' })))).toEqual(['c-4']);
    expect(buildView(t, viewOpts({ session: 's-1' })).matching).toBe(4);
  });

  it('null or absent shows every row; other filters still apply within a session', () => {
    const t = table(rows);
    expect(buildView(t, viewOpts({ session: null })).items).toHaveLength(rows.length);
    expect(buildView(t, viewOpts()).items).toHaveLength(rows.length);
    expect(viewIds(buildView(t, viewOpts({ session: 's-1', text: 'c-3' })))).toEqual(['l-1', '  c-3']);
    expect(buildView(t, viewOpts({ session: 's-1', state: 'failed' })).items).toEqual([]);
    expect(viewIds(buildView(t, viewOpts({ session: 's-9' })))).toEqual([]);
  });

  it('sessionOf: the row’s own, else an accepted connection’s listener’s', () => {
    const t = table(rows);
    expect(sessionOf(accepted(3, 1), t.listeners)).toBe('s-1');
    expect(sessionOf(accepted(5, 2), t.listeners)).toBeNull();
    expect(sessionOf(accepted(7, 9), t.listeners)).toBeNull(); // orphan
    expect(sessionOf(client(6, { session: null }), t.listeners)).toBeNull();
  });

  it('sessionsInTable: each id once, in id order, cached on the table', () => {
    const t = table([...rows, client(8, { session: 's-10' }), listener(3, { session: 's-2' })]);
    const seen = sessionsInTable(t);
    expect(seen).toEqual(['s-1', 's-2', 's-10']);
    expect(sessionsInTable(t)).toBe(seen);
    expect(sessionsInTable(table([client(1)]))).toEqual([]);
  });

  it('the memo patches a changed row in place and rebuilds when it enters or leaves the session', () => {
    const viewOf = createViewMemo({ now: () => 0 });
    const o = viewOpts({ session: 's-1' });
    const t1 = table(rows);
    const v1 = viewOf(t1, o);
    const changed = { ...t1, connections: new Map(t1.connections) };
    changed.connections.set('c-1', client(1, { session: 's-1', bytesIn: 9 }));
    const v2 = viewOf(changed, o);
    expect(viewIds(v2)).toEqual(viewIds(v1));
    expect(v2.items[3]?.row).toMatchObject({ id: 'c-1', bytesIn: 9 });
    const joined = { ...changed, connections: new Map(changed.connections) };
    joined.connections.set('c-6', client(6, { session: 's-1' }));
    expect(viewIds(viewOf(joined, o))).toEqual(['l-1', '  c-2', '  c-3', 'c-1', 'c-6']);
  });
});
