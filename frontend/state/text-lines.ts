// The Text view's rows: each chunk decoded as UTF-8 once, when it arrives (a character split by a read boundary is
// carried into the next read of that direction), then cut after every newline and wrapped at TEXT_COLUMNS.
import type { CaptureLog, CapturedChunk } from './capture-log';
import { escapeUtf8, incompleteTail, type TextPart } from './escape-text';
import { RowLayout } from './row-layout';

export const TEXT_COLUMNS = 120;

type Line = TextPart[];

class LineBuilder {
  readonly lines: Line[] = [[]];
  private col = 0;

  constructor(private readonly columns: number) {}

  private add(text: string, escape: boolean): void {
    const line = this.lines.at(-1)!;
    const last = line.at(-1);
    if (last && last.escape === escape) line[line.length - 1] = { text: last.text + text, escape };
    else line.push({ text, escape });
    this.col += text.length;
  }

  newline(): void {
    this.lines.push([]);
    this.col = 0;
  }

  text(s: string): void {
    while (s.length > 0) {
      let room = this.columns - this.col;
      if (room <= 0) {
        this.newline();
        continue;
      }
      if (room < s.length && /[\uD800-\uDBFF]/.test(s[room - 1]!)) {
        // Keep a surrogate pair whole: on the next line, or alone on a line too narrow for it.
        if (room > 1) room--;
        else if (this.col > 0) {
          this.newline();
          continue;
        } else room = 2;
      }
      this.add(s.slice(0, room), false);
      s = s.slice(room);
    }
  }

  /** Escape runs are cut only between escapes (`\x00` never becomes `\x` + `00`). */
  escapes(s: string): void {
    for (const token of s.match(/\\[^\\]*/g) ?? [s]) {
      if (this.col > 0 && this.col + token.length > this.columns) this.newline();
      this.add(token, true);
    }
  }
}

/** Display lines of escaped text: a new line after each newline byte (whose `\n` escape stays visible), wrapped at `columns`. */
export function splitLines(parts: readonly TextPart[], columns = TEXT_COLUMNS): Line[] {
  const b = new LineBuilder(columns);
  for (const p of parts) {
    if (p.escape) {
      b.escapes(p.text);
      continue;
    }
    const segments = p.text.split('\n');
    segments.forEach((seg, i) => {
      if (i > 0) b.newline();
      b.text(seg);
    });
  }
  const lines = b.lines;
  if (lines.length > 1 && lines.at(-1)!.length === 0) lines.pop();
  return lines;
}

export class TextLayout {
  private readonly cache = new WeakMap<CapturedChunk, Line[]>();
  private readonly rows = new RowLayout(
    (capture, pos, chunk) => this.linesOf(capture, pos, chunk).length,
    (capture) => String(capture.revisions),
  );

  constructor(private readonly columns = TEXT_COLUMNS) {}

  /** The chunk's lines, decoded once (a placeholder has one empty line). */
  linesOf(capture: CaptureLog, pos: number, chunk: CapturedChunk): Line[] {
    let lines = this.cache.get(chunk);
    if (!lines) {
      lines = chunk.bytes
        ? splitLines(escapeUtf8(chunk.bytes, { carry: carryInto(capture, pos), holdTail: true }).parts, this.columns)
        : [[]];
      this.cache.set(chunk, lines);
    }
    return lines;
  }

  sync(capture: CaptureLog): void {
    this.rows.sync(capture);
  }

  get rowCount(): number {
    return this.rows.rowCount;
  }

  locate(row: number): { pos: number; line: number } {
    const at = this.rows.locate(row);
    return { pos: at.pos, line: at.row };
  }
}

/** The bytes of a character the previous read in this direction started and this one completes. */
function carryInto(capture: CaptureLog, pos: number): Uint8Array | undefined {
  const prev = capture.previousSameDirection(pos);
  return prev?.bytes ? prev.bytes.subarray(prev.bytes.length - incompleteTail(prev.bytes)) : undefined;
}

/** The start of a character held back at the end of the newest read in its direction: shown as escapes until completed. */
export function heldTail(capture: CaptureLog, chunk: CapturedChunk): TextPart | null {
  if (!chunk.bytes || capture.isFollowed(chunk)) return null;
  const n = incompleteTail(chunk.bytes);
  if (n === 0) return null;
  const text = Array.from(chunk.bytes.subarray(chunk.bytes.length - n), (b) => `\\x${b.toString(16)}`).join('');
  return { text, escape: true };
}
