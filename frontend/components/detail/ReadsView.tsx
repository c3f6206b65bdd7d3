// Reads: every chunk exactly as one read() returned it or one write() sent it; the boundaries are the point.
import { memo, useMemo } from 'react';
import { bytes } from '../../format';
import type { CapturedChunk } from '../../state/capture-log';
import type { DetailModel } from '../../state/detail-model';
import { escapeUtf8 } from '../../state/escape-text';
import { Escaped } from './Escaped';
import { Time } from './TimelineView';
import { FixedList } from './FixedList';

const PREVIEW_BYTES = 240;

export function ChunkMissing({ chunk }: { chunk: CapturedChunk }) {
  return (
    <span className="missing">
      {chunk.status === 'pending' ? 'fetching bytes left out of the stream…' : 'bytes no longer captured by the server'}
    </span>
  );
}

const ReadRow = memo(function ReadRow({ chunk, start }: { chunk: CapturedChunk; start: number }) {
  const preview = useMemo(() => (chunk.bytes ? escapeUtf8(chunk.bytes, { max: PREVIEW_BYTES }) : null), [chunk.bytes]);
  const label = chunk.direction === 'in' ? '← in' : '→ out';
  return (
    <div className={`dr-chunk dir-${chunk.direction}`} data-index={chunk.index} data-direction={chunk.direction}>
      <span className="dr-idx">#{chunk.index}</span>
      <span className="dr-dir">{label}</span>
      <Time at={chunk.at} start={start} />
      <span className="dr-off" title="stream offset in this direction">
        @{chunk.offset}
      </span>
      <span className="dr-len">{bytes(chunk.length)}</span>
      <span className="dr-preview mono">
        {preview ? <Escaped parts={preview.parts} /> : <ChunkMissing chunk={chunk} />}
        {preview && preview.omitted > 0 && <span className="muted"> …</span>}
      </span>
    </div>
  );
});

export function ReadsView(props: { model: DetailModel; version: number; start: number }) {
  const { capture } = props.model;
  return (
    <FixedList
      label="Reads"
      className="dr-list"
      count={capture.size}
      rowHeight={26}
      getKey={(i) => capture.at(i)?.index ?? i}
      renderRow={(i) => <ReadRow chunk={capture.at(i)!} start={props.start} />}
    />
  );
}
