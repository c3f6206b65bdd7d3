// What each key does on a row of the table view.
import { describe, expect, it } from 'vitest';
import { keyTarget } from '../../frontend/hooks/useRowFocus';
import { buildView, defaultViewOptions } from '../../frontend/state/table-view';
import { accepted, client, listener, table } from './table-factories';

describe('keyTarget', () => {
  const { items } = buildView(table([listener(1), accepted(1, 1), accepted(2, 1), client(3)]), defaultViewOptions);
  const at = (key: string, from: number) => keyTarget(key, from, items[from]!, items, 10);

  it('moves by one, by a page and to the ends; Enter opens', () => {
    expect(at('ArrowDown', 1)).toBe(2);
    expect(at('ArrowUp', 1)).toBe(0);
    expect(at('PageDown', 0)).toBe(10); // clamped by the caller
    expect(at('PageUp', 3)).toBe(-7);
    expect(at('Home', 3)).toBe(0);
    expect(at('End', 0)).toBe(3);
    expect(at('Enter', 2)).toBe('open');
    expect(at('a', 2)).toBe('none');
  });

  it('folds like a tree: left collapses a listener or goes to a child’s listener, right expands', () => {
    expect(at('ArrowLeft', 0)).toBe('toggle');
    expect(at('ArrowRight', 0)).toBe('none'); // already expanded
    expect(at('ArrowLeft', 2)).toBe(0);
    expect(at('ArrowLeft', 3)).toBe('none'); // a top-level client
    const collapsed = buildView(table([listener(1), accepted(1, 1)]), {
      ...defaultViewOptions,
      collapsed: new Set(['l-1']),
    });
    expect(keyTarget('ArrowRight', 0, collapsed.items[0]!, collapsed.items, 10)).toBe('toggle');
  });
});
