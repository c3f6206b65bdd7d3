// The classic hex dump, chunk by chunk: a header row per chunk then `offset  hex x16  |ascii|` rows.
// HexLayout maps a row number to (chunk, line) through an incremental RowLayout.
import type { CaptureLog, CapturedChunk } from './capture-log';
import { RowLayout } from './row-layout';

export const HEX_WIDTH = 16;

/** Rows a chunk takes: its header plus one per 16 bytes. Depends on the length only, so filling a placeholder keeps the layout. */
export const hexRowsOf = (length: number): number => 1 + Math.ceil(length / HEX_WIDTH);

export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

const printable = (b: number): string => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

/** Line `line` (0-based) of a chunk; offsets are stream offsets in the chunk's direction. Missing bytes show as `..`. */
export function hexLine(c: CapturedChunk, line: number): HexLine {
  const start = line * HEX_WIDTH;
  const end = Math.min(c.length, start + HEX_WIDTH);
  let hex = '';
  let ascii = '';
  for (let i = start; i < start + HEX_WIDTH; i++) {
    if (i > start) hex += i - start === HEX_WIDTH / 2 ? '  ' : ' ';
    if (i >= end) hex += '  ';
    else if (!c.bytes) {
      hex += '··';
      ascii += '·';
    } else {
      const b = c.bytes[i]!;
      hex += b < 16 ? '0' + b.toString(16) : b.toString(16);
      ascii += printable(b);
    }
  }
  return { offset: (c.offset + start).toString(16).padStart(8, '0'), hex, ascii };
}

export const arrow = (c: CapturedChunk): string => (c.direction === 'in' ? '←' : '→');

export function chunkHeader(c: CapturedChunk): string {
  const what = c.status === 'ok' ? '' : c.status === 'pending' ? ' (fetching…)' : ' (bytes no longer captured)';
  return `#${c.index} ${arrow(c)} ${c.direction} ${c.length} B at offset ${c.offset}${what}`;
}

/** The whole held capture as text: what "Copy as hex" puts on the clipboard. */
export function hexDumpText(capture: CaptureLog): string {
  const out: string[] = [];
  for (let pos = 0; pos < capture.size; pos++) {
    const c = capture.at(pos)!;
    out.push(`-- ${chunkHeader(c)}`);
    for (let line = 0; line < hexRowsOf(c.length) - 1; line++) {
      const l = hexLine(c, line);
      out.push(`${arrow(c)} ${l.offset}  ${l.hex}  |${l.ascii}|`);
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/** Hex rows: a chunk's header row, then its lines. */
export class HexLayout {
  private readonly rows = new RowLayout((_c, _pos, chunk) => hexRowsOf(chunk.length));

  sync(capture: CaptureLog): void {
    this.rows.sync(capture);
  }

  get rowCount(): number {
    return this.rows.rowCount;
  }

  /** Which chunk position and which line of it a row shows; line -1 is the chunk's header. */
  locate(row: number): { pos: number; line: number } {
    const at = this.rows.locate(row);
    return { pos: at.pos, line: at.row - 1 };
  }

  rowOf(pos: number): number {
    return this.rows.rowOf(pos);
  }
}
