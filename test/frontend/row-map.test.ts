// The persistent row map under the fold: Map semantics, copy-on-write edits, and the cheap diff between versions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedRows, RowMap } from '../../frontend/state/row-map';

interface R {
  readonly id: string;
  readonly v: number;
}
const r = (n: number, v = 0): R => ({ id: `c-${n}`, v });
const rows = (count: number, v = 0) => Array.from({ length: count }, (_, i) => r(i, v));
const edited = (base: ReadonlyMap<string, R>, ...set: R[]) => {
  const e = RowMap.edit(base);
  for (const row of set) e.set(row);
  return e.done();
};

describe('RowMap', () => {
  it('behaves as a Map in insertion order; a repeated id keeps its first place', () => {
    const m = RowMap.from([r(2), r(1), r(3), r(1, 9)]);
    expect(m.size).toBe(3);
    expect([...m.keys()]).toEqual(['c-2', 'c-1', 'c-3']);
    expect(m.get('c-1')).toEqual(r(1, 9));
    expect(m.has('c-4')).toBe(false);
    expect([...m]).toEqual([...new Map([r(2), r(1, 9), r(3)].map((x) => [x.id, x]))]);
    const seen: string[] = [];
    m.forEach((row, id) => seen.push(`${id}=${row.v}`));
    expect(seen).toEqual(['c-2=0', 'c-1=9', 'c-3=0']);
  });

  it('edits without touching the version it started from, sharing the rows it did not change', () => {
    const base = RowMap.from(rows(300));
    const changed = r(150, 1);
    const next = edited(base, changed, r(300));
    expect(next.size).toBe(301);
    expect(next.get('c-150')).toBe(changed);
    expect(next.get('c-300')).toEqual(r(300));
    expect(base.size).toBe(300);
    expect(base.get('c-150')).toEqual(r(150));
    expect(base.get('c-300')).toBeUndefined();
    for (const [id, row] of base) if (id !== 'c-150') expect(next.get(id)).toBe(row);
  });

  it('reads its own writes during an edit and refuses use after done()', () => {
    const e = RowMap.edit(RowMap.from([r(1)]));
    e.set(r(1, 5));
    e.set(r(2));
    expect(e.get('c-1')?.v).toBe(5);
    expect(e.get('c-2')).toEqual(r(2));
    e.done();
    expect(() => e.set(r(3))).toThrow();
  });

  it('keeps two edits of one version apart when both add rows', () => {
    const base = RowMap.from(rows(3));
    const a = edited(base, r(10));
    const b = edited(base, r(20), r(1, 7));
    const c = edited(a, r(11));
    expect([...a.keys()]).toEqual(['c-0', 'c-1', 'c-2', 'c-10']);
    expect([...b.keys()]).toEqual(['c-0', 'c-1', 'c-2', 'c-20']);
    expect([...c.keys()]).toEqual(['c-0', 'c-1', 'c-2', 'c-10', 'c-11']);
    expect(a.has('c-20')).toBe(false);
    expect(b.has('c-10')).toBe(false);
    expect(b.get('c-1')?.v).toBe(7);
    expect(a.get('c-1')?.v).toBe(0);
  });

  it('starts an edit from any ReadonlyMap', () => {
    const plain = new Map([r(1), r(2)].map((x) => [x.id, x]));
    expect([...edited(plain, r(3)).keys()]).toEqual(['c-1', 'c-2', 'c-3']);
    expect(RowMap.edit(plain).get('c-2')).toBe(plain.get('c-2'));
    expect(plain.size).toBe(2);
  });
});

describe('changedRows', () => {
  it('lists replaced and added rows with what they replaced, cheaply between versions', () => {
    const base = RowMap.from(rows(200));
    const next = edited(base, r(5, 1), r(130, 1), r(200));
    const changes = next.changesSince(base);
    expect(changes).toEqual([
      { before: r(5), after: r(5, 1) },
      { before: r(130), after: r(130, 1) },
      { before: undefined, after: r(200) },
    ]);
    expect(changedRows(base, next)).toEqual(changes);
    expect(changedRows(next, next)).toEqual([]);
  });

  it('compares by id when the maps are not versions of one another', () => {
    const base = RowMap.from(rows(3));
    const a = edited(base, r(10));
    const b = edited(base, r(20));
    expect(b.changesSince(a)).toBeNull(); // siblings
    expect(a.changesSince(RowMap.from(rows(3)))).toBeNull(); // another lineage
    expect(changedRows(a, b)).toEqual([{ before: undefined, after: r(20) }]);
    const plain = new Map([...base.values(), r(0)].map((x) => [x.id, x]));
    expect(changedRows(plain, a)).toEqual([
      { before: plain.get('c-0'), after: base.get('c-0') },
      { before: undefined, after: r(10) },
    ]);
  });

  it('matches a plain Map and a diff by id over any history of edits', () => {
    const op = fc.record({ from: fc.nat(), id: fc.nat({ max: 150 }), v: fc.nat({ max: 3 }) });
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 20 }), { maxLength: 12 }), (batches) => {
        const versions: { map: RowMap<R>; model: Map<string, R> }[] = [{ map: RowMap.from([]), model: new Map() }];
        for (const batch of batches) {
          const from = versions[(batch[0]?.from ?? 0) % versions.length]!;
          const e = RowMap.edit(from.map);
          const model = new Map(from.model);
          for (const { id, v } of batch) {
            const row = r(id, v);
            e.set(row);
            model.set(row.id, row);
          }
          const map = e.done();
          versions.push({ map, model });
          expect([...map]).toEqual([...model]);
          expect(map.size).toBe(model.size);
          for (let id = 0; id <= 150; id++) expect(map.get(`c-${id}`)).toBe(model.get(`c-${id}`));
          const byId = [...map.values()]
            .filter((x) => from.map.get(x.id) !== x)
            .map((x) => ({ before: from.map.get(x.id), after: x }));
          expect(changedRows(from.map, map)).toEqual(byId);
        }
        for (const { map, model } of versions) expect([...map]).toEqual([...model]); // no edit changed another version
        for (const a of versions)
          for (const b of versions) {
            const byId = [...b.map.values()]
              .filter((x) => a.map.get(x.id) !== x)
              .map((x) => ({ before: a.map.get(x.id), after: x }));
            expect(changedRows(a.map, b.map)).toEqual(byId); // siblings, ancestors and descendants alike
          }
      }),
    );
  });
});
