// One line above the byte views: what is held, and everything not shown with the reason (never a silent hole).
import { bytes } from '../../format';
import type { DetailModel } from '../../state/detail-model';
import { plural } from './detail-format';

export function CaptureNotes(props: { model: DetailModel; version: number }) {
  const { capture, serverDropped } = props.model;
  const pending = capture.count('pending');
  const lost = capture.count('lost');
  const notes: string[] = [];
  if (serverDropped.chunks > 0)
    notes.push(
      `${plural(serverDropped.chunks, 'older chunk')} (${bytes(serverDropped.bytes)}) evicted by the server's capture`,
    );
  if (capture.droppedChunks > 0)
    notes.push(
      `${plural(capture.droppedChunks, 'older chunk')} (${bytes(capture.droppedBytes)}) dropped here to stay within ${bytes(capture.maxBytes)}`,
    );
  if (pending > 0) notes.push(`fetching ${plural(pending, 'chunk')} left out of the stream`);
  if (lost > 0) notes.push(`${plural(lost, 'chunk')} no longer available`);
  return (
    <p className="dt-capture-notes">
      <span>
        {plural(capture.size, 'chunk')}, {bytes(capture.heldBytes)}
      </span>
      {notes.map((n) => (
        <span key={n} className="dt-warn">
          {' · '}
          {n}
        </span>
      ))}
    </p>
  );
}
