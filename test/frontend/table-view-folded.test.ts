// The view over tables the fold made (RowMap versions, diffed chunk by chunk): the memo and the session list.
import { describe, expect, it } from 'vitest';
import { foldEvents, fromSnapshot, withoutIds, type TableState } from '../../frontend/state/fold';
import { createViewMemo, sessionsInTable } from '../../frontend/state/table-view';
import { accepted, client, closed, dataIn, listener, opened, snapshot, viewIds, viewOpts } from './table-factories';

// Enough rows to span several chunks of the RowMap.
const many = Array.from({ length: 300 }, (_, i) => accepted(i + 1, 1));
const base = (): TableState => fromSnapshot(snapshot(1, [listener(1), ...many, client(1000)]));

describe('createViewMemo over folded tables', () => {
  it('patches the rows a batch changed and keeps every other item', () => {
    const viewOf = createViewMemo();
    const o = viewOpts();
    const t1 = base();
    const v1 = viewOf(t1, o);
    const t2 = foldEvents(t1, [dataIn(2, 'c-5', 10), dataIn(3, 'c-250', 7), dataIn(4, 'c-5', 1)]);
    const v2 = viewOf(t2, o);
    expect(viewIds(v2)).toEqual(viewIds(v1));
    const at = (id: string) => v2.index.get(id)!;
    expect(v2.items[at('c-5')]?.row).toMatchObject({ id: 'c-5', bytesIn: 11, chunksIn: 2 });
    expect(v2.items[at('c-250')]?.row).toMatchObject({ bytesIn: 7 });
    expect(v2.items.filter((it, i) => it !== v1.items[i]).map((it) => it.row.id)).toEqual(['c-5', 'c-250']);
  });

  it('keeps the same view when only hidden rows changed, and rebuilds when a row stops matching', () => {
    const viewOf = createViewMemo();
    const o = viewOpts({ text: 'c-1000' });
    const t1 = base();
    const v1 = viewOf(t1, o);
    expect(viewIds(v1)).toEqual(['c-1000']);
    expect(viewOf(foldEvents(t1, [dataIn(2, 'c-7', 1)]), o)).toBe(v1);
    const live = viewOpts({ state: 'live' });
    const t2 = foldEvents(t1, [dataIn(2, 'c-7', 1)]);
    expect(viewOf(t2, live).items).toHaveLength(302);
    const t3 = foldEvents(t2, [closed(3, accepted(7, 1))]);
    expect(viewOf(t3, live).index.has('c-7')).toBe(false);
    expect(viewOf(t3, live).items).toHaveLength(301);
  });

  it('adds a connection opened in a batch', () => {
    const viewOf = createViewMemo();
    const t1 = base();
    viewOf(t1, viewOpts());
    const t2 = foldEvents(t1, [opened(2, accepted(400, 1))]);
    expect(viewIds(viewOf(t2, viewOpts())).at(-2)).toBe('  c-400');
    expect(viewOf(t2, viewOpts()).items[0]).toMatchObject({ type: 'listener', children: 301 });
  });
});

describe('sessionsInTable over folded tables', () => {
  it('carries the list over byte counts, adds a new session, drops one whose rows were cleared', () => {
    const t1 = fromSnapshot(snapshot(1, [listener(1, { session: 's-2' }), ...many, client(1000)]));
    const s1 = sessionsInTable(t1);
    expect(s1).toEqual(['s-2']);
    const t2 = foldEvents(t1, [dataIn(2, 'c-9', 4)]);
    expect(sessionsInTable(t2)).toBe(s1);
    const t3 = foldEvents(t2, [opened(3, client(1001, { session: 's-10' }))]);
    expect(sessionsInTable(t3)).toEqual(['s-2', 's-10']);
    const t4 = withoutIds(t3, new Set(['c-1001']));
    expect(sessionsInTable(t4)).toEqual(['s-2']);
    const t5 = foldEvents(t4, [closed(4, client(1000, { session: 's-3' }))]); // a row that changes session
    expect(sessionsInTable(t5)).toEqual(['s-2', 's-3']);
    expect(sessionsInTable(foldEvents(t5, [closed(5, client(1000))]))).toEqual(['s-2']);
  });
});
