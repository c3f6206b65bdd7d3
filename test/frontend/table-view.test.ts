// The table as shown: tree, sort, filter, collapse, and the memo that patches rows in place.
import { describe, expect, it } from 'vitest';
import { buildView, createViewMemo, textMatcher, type SortSpec } from '../../frontend/state/table-view';
import { accepted, client, listener, refused, table, viewIds, viewOpts } from './table-factories';

const sorted = (column: SortSpec['column'], direction: SortSpec['direction'] = 'asc') =>
  viewOpts({ sort: { column, direction } });

describe('tree', () => {
  it('puts accepted connections under their listener, clients and orphans at the top level, in creation order', () => {
    const t = table([
      listener(1),
      listener(2),
      client(1),
      accepted(2, 1),
      accepted(3, 2),
      accepted(4, 1),
      accepted(5, 9), // listener l-9 is gone: an orphan
    ]);
    const v = buildView(t, viewOpts());
    expect(viewIds(v)).toEqual(['l-1', '  c-2', '  c-4', 'l-2', '  c-3', 'c-1', 'c-5']);
    expect(v.items.find((i) => i.row.id === 'c-5')).toMatchObject({ depth: 0, orphan: true });
    expect(v.items[0]).toMatchObject({ type: 'listener', children: 2, expanded: true, context: false });
    expect(v.total).toBe(7);
    expect(v.matching).toBe(7);
    expect(v.index.get('c-4')).toBe(2);
  });

  it('hides the children of a collapsed listener but still counts them', () => {
    const t = table([listener(1), accepted(1, 1), accepted(2, 1), client(3)]);
    const v = buildView(t, viewOpts({ collapsed: new Set(['l-1']) }));
    expect(viewIds(v)).toEqual(['l-1', 'c-3']);
    expect(v.items[0]).toMatchObject({ expanded: false, children: 2 });
    expect(v.index.has('c-1')).toBe(false);
  });
});

describe('sort', () => {
  const t = table([
    listener(1, { local: { address: '127.0.0.1', port: 9000 } }),
    client(1, { bytesIn: 30, remote: { address: '10.0.0.2', port: 80 } }),
    client(2, { bytesIn: 10, remote: { address: '9.9.9.9', port: 80 } }),
    client(3, { bytesIn: 30, remote: { address: '127.0.0.1', port: 22 } }),
    client(4, { bytesIn: 20, remote: null, local: null, state: 'connecting', target: { address: '1.1.1.1', port: 1 } }),
  ]);

  it('sorts by a number, ties in creation order, in both directions', () => {
    expect(viewIds(buildView(t, sorted('in')))).toEqual(['c-2', 'c-4', 'c-1', 'c-3', 'l-1']);
    // descending reverses the values, not the tie-break: c-1 still before c-3; the listener (no bytes) still last
    expect(viewIds(buildView(t, sorted('in', 'desc')))).toEqual(['c-1', 'c-3', 'c-4', 'c-2', 'l-1']);
  });

  it('sorts addresses numerically, using the target of a client still connecting', () => {
    expect(viewIds(buildView(t, sorted('remote')))).toEqual(['c-4', 'c-2', 'c-1', 'c-3', 'l-1']);
  });

  it('keeps children under their parent and sorts them among themselves', () => {
    const tree = table([
      listener(1),
      listener(2),
      accepted(1, 1, { bytesIn: 5 }),
      accepted(2, 1, { bytesIn: 1 }),
      accepted(3, 2, { bytesIn: 9 }),
      client(4, { bytesIn: 3 }),
    ]);
    expect(viewIds(buildView(tree, sorted('in', 'desc')))).toEqual(['c-4', 'l-1', '  c-1', '  c-2', 'l-2', '  c-3']);
    expect(viewIds(buildView(tree, sorted('role')))).toEqual(['l-1', '  c-1', '  c-2', 'l-2', '  c-3', 'c-4']);
  });

  it('sorts by age youngest first, by state in lifecycle order, by errno with the faultless last', () => {
    const s = table([
      client(1, { state: 'closed' }),
      client(2, { state: 'connecting', fault: refused() }),
      client(3, { state: 'open' }),
    ]);
    expect(viewIds(buildView(s, sorted('age')))).toEqual(['c-3', 'c-2', 'c-1']);
    expect(viewIds(buildView(s, sorted('state')))).toEqual(['c-2', 'c-3', 'c-1']);
    expect(viewIds(buildView(s, sorted('errno')))).toEqual(['c-2', 'c-1', 'c-3']);
    expect(viewIds(buildView(s, sorted('errno', 'desc')))).toEqual(['c-2', 'c-1', 'c-3']);
  });
});

describe('filter', () => {
  const t = table([
    listener(1),
    listener(2, { local: { address: '::1', port: 6000 }, family: 'IPv6' }),
    accepted(1, 1),
    accepted(2, 1, { state: 'closed', tcpState: 'TIME_WAIT' }),
    client(3, {
      state: 'failed',
      fault: refused(14001),
      local: null,
      remote: null,
      target: { address: '127.0.0.1', port: 14001 },
    }),
    client(4, { remote: { address: '10.1.2.3', port: 443 }, target: { address: '10.1.2.3', port: 443 } }),
  ]);

  it('matches free text on id, address, state, kernel state and errno (name and number), all terms required', () => {
    expect(viewIds(buildView(t, viewOpts({ text: 'econnrefused' })))).toEqual(['c-3']);
    expect(viewIds(buildView(t, viewOpts({ text: '111' })))).toEqual(['c-3']);
    expect(viewIds(buildView(t, viewOpts({ text: 'time_wait' })))).toEqual(['l-1', '  c-2']);
    expect(viewIds(buildView(t, viewOpts({ text: '10.1.2 443' })))).toEqual(['c-4']);
    expect(viewIds(buildView(t, viewOpts({ text: '[::1]' })))).toEqual(['l-2']);
    expect(viewIds(buildView(t, viewOpts({ text: 'c-4 open' })))).toEqual(['c-4']);
    expect(viewIds(buildView(t, viewOpts({ text: 'c-4 closed' })))).toEqual([]);
  });

  it('port:N matches a port exactly, where a bare number is a substring', () => {
    expect(viewIds(buildView(t, viewOpts({ text: '4001' })))).toEqual(['l-1', '  c-1', '  c-2', 'c-3']); // 14001 too
    expect(viewIds(buildView(t, viewOpts({ text: 'port:4001' })))).toEqual(['l-1', '  c-1', '  c-2']);
  });

  it('shows a listener as context when only its children match; filtering by listener id keeps its children', () => {
    const v = buildView(t, viewOpts({ state: 'closed' }));
    expect(viewIds(v)).toEqual(['l-1', '  c-2']);
    expect(v.items[0]).toMatchObject({ context: true });
    expect(v.matching).toBe(1);
    expect(viewIds(buildView(t, viewOpts({ text: 'l-1' })))).toEqual(['l-1', '  c-1', '  c-2']);
  });

  it('filters by state group', () => {
    expect(viewIds(buildView(t, viewOpts({ state: 'live' })))).toEqual(['l-1', '  c-1', 'l-2', 'c-4']);
    expect(viewIds(buildView(t, viewOpts({ state: 'errno' })))).toEqual(['c-3']);
    expect(viewIds(buildView(t, viewOpts({ state: 'listening' })))).toEqual(['l-1', 'l-2']);
  });

  it('an empty filter matches everything', () => {
    expect(textMatcher('  ')(client(1))).toBe(true);
  });
});

describe('createViewMemo', () => {
  const base = table([listener(1), accepted(1, 1), client(2), client(3)]);
  const withRow = (t: typeof base, row: ReturnType<typeof client>) => ({
    ...t,
    connections: new Map(t.connections).set(row.id, row),
  });

  it('returns the same view for the same table and options, and patches changed rows in place', () => {
    const memo = createViewMemo();
    const o = viewOpts();
    const v1 = memo(base, o);
    expect(memo(base, o)).toBe(v1);
    const changed = client(2, { bytesIn: 99 });
    const v2 = memo(withRow(base, changed), o);
    expect(v2).not.toBe(v1);
    expect(viewIds(v2)).toEqual(viewIds(v1));
    expect(v2.items[2]?.row).toBe(changed);
    expect(v2.items[0]).toBe(v1.items[0]); // untouched items keep their identity
    expect(v2.staleOrder).toBe(false);
  });

  it('rebuilds when a change makes a row match or not', () => {
    const memo = createViewMemo();
    const o = viewOpts({ state: 'open' });
    expect(viewIds(memo(base, o))).toEqual(['l-1', '  c-1', 'c-2', 'c-3']);
    expect(viewIds(memo(withRow(base, client(2, { state: 'closed' })), o))).toEqual(['l-1', '  c-1', 'c-3']);
  });

  it('lets a live sort lag for resortMs, then sorts again', () => {
    let now = 0;
    const memo = createViewMemo({ resortMs: 250, now: () => now });
    const o = sorted('in', 'desc');
    expect(viewIds(memo(base, o))).toEqual(['c-2', 'c-3', 'l-1', '  c-1']);
    const t2 = withRow(base, client(3, { bytesIn: 50 }));
    now = 100;
    const lagging = memo(t2, o);
    expect(viewIds(lagging)).toEqual(['c-2', 'c-3', 'l-1', '  c-1']);
    expect(lagging.staleOrder).toBe(true);
    expect(lagging.items[1]?.row).toMatchObject({ id: 'c-3', bytesIn: 50 });
    // a later epoch (the caller's timer) or enough time sorts it for real
    expect(viewIds(memo(t2, o, 1))).toEqual(['c-3', 'c-2', 'l-1', '  c-1']);
    const t3 = withRow(t2, client(2, { bytesIn: 70 }));
    now = 200;
    expect(memo(t3, o, 1).staleOrder).toBe(true);
    now = 400;
    const t4 = withRow(t3, client(2, { bytesIn: 71 }));
    const fresh = memo(t4, o, 1);
    expect(fresh.staleOrder).toBe(false);
    expect(viewIds(fresh)).toEqual(['c-2', 'c-3', 'l-1', '  c-1']);
  });

  it('rebuilds on added rows and on any listener change', () => {
    const memo = createViewMemo();
    const o = viewOpts();
    memo(base, o);
    const added = { ...base, connections: new Map(base.connections).set('c-9', client(9)) };
    expect(viewIds(memo(added, o))).toContain('c-9');
    const l = { ...added, listeners: new Map(added.listeners).set('l-1', listener(1, { state: 'closed' })) };
    expect(memo(l, o).items[0]?.row.state).toBe('closed');
  });
});
