// Hex dump lines and the incremental row layout (append, evict, reorder) against a from-scratch layout.
import { describe, expect, it } from 'vitest';
import { CaptureLog, placeholder, toCaptured } from '../../frontend/state/capture-log';
import { HexLayout, hexDumpText, hexLine, hexRowsOf } from '../../frontend/state/hexdump';
import { chunk } from './detail-factories';

const rows = (layout: HexLayout): string[] =>
  Array.from({ length: layout.rowCount }, (_, r) => {
    const { pos, line } = layout.locate(r);
    return `${pos}:${line}`;
  });

function fresh(capture: CaptureLog): string[] {
  const l = new HexLayout();
  l.sync(capture);
  return rows(l);
}

describe('hex dump', () => {
  it('formats offset, 16 bytes in two groups, and ascii', () => {
    const c = toCaptured(chunk(1, 'hello\r\nworld and more!', 'in', 0x20));
    expect(hexLine(c, 0)).toEqual({
      offset: '00000020',
      hex: '68 65 6c 6c 6f 0d 0a 77  6f 72 6c 64 20 61 6e 64',
      ascii: 'hello..world and',
    });
    expect(hexLine(c, 1)).toEqual({
      offset: '00000030',
      hex: '20 6d 6f 72 65 21' + ' '.repeat(3 * 10 + 1),
      ascii: ' more!',
    });
    expect(hexRowsOf(0)).toBe(1);
    expect(hexRowsOf(16)).toBe(2);
    expect(hexRowsOf(17)).toBe(3);
  });

  it('shows missing bytes as dots, not zeros', () => {
    const p = placeholder(chunk(2, 'abc'));
    expect(hexLine(p, 0).hex.startsWith('·· ·· ··')).toBe(true);
  });

  it('copies as text with a header per chunk and direction marks', () => {
    const cap = new CaptureLog(1 << 20, 100);
    cap.put(toCaptured(chunk(1, 'hello', 'out')));
    cap.put(toCaptured(chunk(2, 'hi', 'in')));
    expect(hexDumpText(cap)).toBe(
      [
        '-- #1 → out 5 B at offset 0',
        `→ 00000000  68 65 6c 6c 6f${' '.repeat(34)}  |hello|`,
        '-- #2 ← in 2 B at offset 0',
        `← 00000000  68 69${' '.repeat(43)}  |hi|`,
        '',
      ].join('\n'),
    );
  });

  it('keeps the layout incrementally and agrees with a rebuild after appends, evictions and reorders', () => {
    const cap = new CaptureLog(100, 1000);
    const layout = new HexLayout();
    const sizes = [5, 16, 40, 1, 33, 20, 17, 3, 64, 2];
    sizes.forEach((n, i) => {
      cap.put(toCaptured(chunk(i + 2, 'x'.repeat(n))));
      layout.sync(cap);
      expect(rows(layout)).toEqual(fresh(cap));
    });
    expect(cap.droppedChunks).toBeGreaterThan(0);
    // A chunk arriving late, before the newest one: positions move, the layout rebuilds.
    cap.put(toCaptured(chunk(10, 'late')));
    expect(cap.at(cap.size - 2)?.index).toBe(10);
    layout.sync(cap);
    expect(rows(layout)).toEqual(fresh(cap));
    expect(layout.rowOf(cap.size - 1)).toBe(layout.rowCount - hexRowsOf(2));
  });
});
