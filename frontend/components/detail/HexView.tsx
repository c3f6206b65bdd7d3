// Hex: the classic dump, a header row per chunk (the boundary) then `offset  hex x16  |ascii|`, both directions
// interleaved in capture order with arrows and colour. The row layout is extended per chunk, never recomputed.
import { memo } from 'react';
import type { CaptureLog, CapturedChunk } from '../../state/capture-log';
import type { DetailModel } from '../../state/detail-model';
import { arrow, chunkHeader, hexLine, HexLayout } from '../../state/hexdump';
import { FixedList } from './FixedList';

const HexRow = memo(function HexRow({ chunk, line }: { chunk: CapturedChunk; line: number }) {
  if (line < 0)
    return (
      <div className={`dh-head dir-${chunk.direction}`} data-index={chunk.index}>
        {chunkHeader(chunk)}
      </div>
    );
  const l = hexLine(chunk, line);
  return (
    <div className={`dh-line dir-${chunk.direction}`}>
      <span className="dh-dir">{arrow(chunk)}</span>
      <span className="dh-off">{l.offset}</span>
      <span className="dh-hex">{l.hex}</span>
      <span className="dh-ascii">|{l.ascii}|</span>
    </div>
  );
});

// One layout per capture, kept across tab switches: coming back lays out only what arrived meanwhile.
const layouts = new WeakMap<CaptureLog, HexLayout>();
function layoutFor(capture: CaptureLog): HexLayout {
  let layout = layouts.get(capture);
  if (!layout) layouts.set(capture, (layout = new HexLayout()));
  return layout;
}

export function HexView(props: { model: DetailModel; version: number }) {
  const { capture } = props.model;
  const hex = layoutFor(capture);
  hex.sync(capture); // appends the new chunks' rows only; idempotent
  return (
    <FixedList
      label="Hex"
      className="dh-list"
      count={hex.rowCount}
      rowHeight={19}
      getKey={(r) => {
        const { pos, line } = hex.locate(r);
        return `${capture.at(pos)?.index ?? pos}:${line}`;
      }}
      renderRow={(r) => {
        const { pos, line } = hex.locate(r);
        return <HexRow chunk={capture.at(pos)!} line={line} />;
      }}
    />
  );
}
