// The Text view's lines: newlines cut lines (their \n escape stays), long lines wrap, escapes never split,
// characters split across reads are carried, and the layout appends per chunk.
import { describe, expect, it } from 'vitest';
import { CaptureLog, placeholder, toCaptured } from '../../frontend/state/capture-log';
import { escapeUtf8 } from '../../frontend/state/escape-text';
import { heldTail, splitLines, TextLayout } from '../../frontend/state/text-lines';
import { bytesToBase64, encodeUtf8 } from '../../shared';
import { chunk, T0 } from './detail-factories';

const flat = (lines: ReturnType<typeof splitLines>) => lines.map((l) => l.map((p) => p.text).join(''));
const lines = (text: string, columns = 120) => flat(splitLines(escapeUtf8(encodeUtf8(text)).parts, columns));

const rawChunk = (index: number, bytes: number[], direction: 'in' | 'out' = 'in') =>
  toCaptured({ index, direction, at: T0, offset: 0, length: bytes.length, data: bytesToBase64(new Uint8Array(bytes)) });

describe('splitLines', () => {
  it('cuts after each newline and drops the empty line a final newline would leave', () => {
    expect(lines('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual(['GET / HTTP/1.1\\r\\n', 'Host: x\\r\\n', '\\r\\n']);
    expect(lines('no newline')).toEqual(['no newline']);
  });

  it('wraps long lines without splitting an escape or a surrogate pair', () => {
    expect(lines('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(lines('ab\0\0\0', 8)).toEqual(['ab\\0\\0\\0']);
    expect(lines('abc\x01\x02', 8)).toEqual(['abc\\x01', '\\x02']);
    expect(lines('abc😀d', 4)).toEqual(['abc', '😀d']);
  });
});

describe('TextLayout', () => {
  it('carries a character split across two reads into the second, and shows a held tail until then', () => {
    const euro = [0xe2, 0x82, 0xac];
    const cap = new CaptureLog(1 << 20, 100);
    cap.put(rawChunk(1, [0x61, euro[0]!]));
    const layout = new TextLayout();
    layout.sync(cap);
    expect(flat(layout.linesOf(cap, 0, cap.at(0)!))).toEqual(['a']);
    expect(heldTail(cap, cap.at(0)!)?.text).toBe('\\xe2');
    cap.put(rawChunk(2, [0x41], 'out')); // the other direction does not complete it
    cap.put(rawChunk(3, [euro[1]!, euro[2]!, 0x62]));
    layout.sync(cap);
    expect(heldTail(cap, cap.at(0)!)).toBeNull();
    expect(flat(layout.linesOf(cap, 2, cap.at(2)!))).toEqual(['€b']);
  });

  it('appends rows per chunk and rebuilds when a placeholder is filled', () => {
    const cap = new CaptureLog(1 << 20, 100);
    const layout = new TextLayout(10);
    cap.put(toCaptured(chunk(1, 'one\ntwo\n')));
    cap.put(placeholder(chunk(2, 'three\nfour\n')));
    layout.sync(cap);
    expect(layout.rowCount).toBe(3);
    expect(layout.locate(2)).toEqual({ pos: 1, line: 0 });
    cap.put(toCaptured(chunk(2, 'three\nfour\n')));
    layout.sync(cap);
    expect(layout.rowCount).toBe(4);
    expect(layout.locate(3)).toEqual({ pos: 1, line: 1 });
  });
});
