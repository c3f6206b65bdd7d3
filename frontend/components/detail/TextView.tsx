// Text: the capture as UTF-8 with control bytes escaped (`\r\n` visible), coloured by direction, one row per
// display line; every chunk starts a new line marked with its index, so read boundaries stay visible.
import { memo } from 'react';
import type { CaptureLog, CapturedChunk } from '../../state/capture-log';
import type { DetailModel } from '../../state/detail-model';
import type { TextPart } from '../../state/escape-text';
import { heldTail, TextLayout } from '../../state/text-lines';
import { ChunkMissing } from './ReadsView';
import { Escaped } from './Escaped';
import { FixedList } from './FixedList';

const TextRow = memo(function TextRow(props: { chunk: CapturedChunk; line: number; parts: TextPart[] }) {
  const { chunk, line } = props;
  return (
    <div
      className={`dx-line dir-${chunk.direction}${line === 0 ? ' dx-first' : ''}`}
      data-index={line === 0 ? chunk.index : undefined}
    >
      <span className="dx-gutter" title={line === 0 ? `chunk #${chunk.index}, ${chunk.length} B` : undefined}>
        {line === 0 ? `${chunk.direction === 'in' ? '←' : '→'}#${chunk.index}` : ''}
      </span>
      <span className="dx-text">{chunk.bytes ? <Escaped parts={props.parts} /> : <ChunkMissing chunk={chunk} />}</span>
    </div>
  );
});

function lineParts(layout: TextLayout, capture: CaptureLog, pos: number, line: number): TextPart[] {
  const chunk = capture.at(pos)!;
  const lines = layout.linesOf(capture, pos, chunk);
  const parts = lines[line] ?? [];
  const tail = line === lines.length - 1 ? heldTail(capture, chunk) : null;
  return tail ? [...parts, tail] : parts;
}

// One layout per capture, kept across tab switches: coming back lays out only what arrived meanwhile.
const layouts = new WeakMap<CaptureLog, TextLayout>();
function layoutFor(capture: CaptureLog): TextLayout {
  let layout = layouts.get(capture);
  if (!layout) layouts.set(capture, (layout = new TextLayout()));
  return layout;
}

export function TextView(props: { model: DetailModel; version: number }) {
  const { capture } = props.model;
  const text = layoutFor(capture);
  text.sync(capture); // decodes only the chunks that arrived since the last render
  return (
    <FixedList
      label="Text"
      className="dx-list"
      count={text.rowCount}
      rowHeight={18}
      getKey={(r) => {
        const { pos, line } = text.locate(r);
        return `${capture.at(pos)?.index ?? pos}:${line}`;
      }}
      renderRow={(r) => {
        const { pos, line } = text.locate(r);
        return <TextRow chunk={capture.at(pos)!} line={line} parts={lineParts(text, capture, pos, line)} />;
      }}
    />
  );
}
