// Framed messages of both directions from /messages, re-fetched (throttled) as the row's byte counters move.
import { useEffect, useRef, useState } from 'react';
import { describeFramingRule, type ConnectionRow, type MessagesReply } from '../../../shared';
import { getMessages } from '../../api/rest-client';
import { previewPayload, readBadges, readList } from '../../state/message-view';
import { toActionError, type ActionError } from './use-action';
import { Feedback } from './Feedback';

const THROTTLE_MS = 250;
const LIMIT = 1000;

type Replies = { in: MessagesReply; out: MessagesReply };

function useMessages(id: string, key: string): { data: Replies | null; error: ActionError | null } {
  const [data, setData] = useState<Replies | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const last = useRef(0);
  useEffect(() => {
    let live = true;
    const load = async () => {
      last.current = Date.now();
      try {
        const [i, o] = await Promise.all([
          getMessages(id, { direction: 'in', limit: LIMIT }),
          getMessages(id, { direction: 'out', limit: LIMIT }),
        ]);
        if (!live) return;
        setData({ in: i, out: o });
        setError(null);
      } catch (e) {
        if (live) setError(toActionError(e));
      }
    };
    const wait = Math.max(0, last.current + THROTTLE_MS - Date.now());
    const timer = setTimeout(() => void load(), wait);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, key]);
  return { data, error };
}

function Direction(props: { reply: MessagesReply }) {
  const r = props.reply;
  const badges = readBadges(r.messages);
  const name = r.direction === 'in' ? 'in (received)' : 'out (sent)';
  return (
    <section className="ms-dir" aria-label={`Messages ${r.direction}`}>
      <h4>
        {name}: {r.messages.length} message{r.messages.length === 1 ? '' : 's'}
        {r.more && ' (more not shown)'}
      </h4>
      {r.error && (
        <p className="dt-error" role="alert">
          <code>FRAMING</code> {r.error}
        </p>
      )}
      {(r.skippedBytes > 0 || r.droppedMessages > 0) && (
        <p className="muted">
          {r.skippedBytes > 0 && `${r.skippedBytes} bytes skipped before decoding began (may be misaligned). `}
          {r.droppedMessages > 0 && `${r.droppedMessages} older messages dropped.`}
        </p>
      )}
      <ol className="ms-list">
        {r.messages.map((m) => {
          const p = previewPayload(m.data);
          const badge = badges.get(m.index);
          return (
            <li key={m.index} className="ms-msg" data-index={m.index} data-direction={r.direction}>
              <div className="ms-head">
                <span className="mono">#{m.index}</span> <span className="ms-arrow">{r.direction}</span>{' '}
                <span className="mono" title="stream offsets, header and delimiter included">
                  bytes {m.start}–{m.end}
                </span>{' '}
                <span className="muted">
                  {m.length} B payload, {readList(m.reads)}
                </span>{' '}
                {badge && <span className="ms-badge">{badge}</span>}
              </div>
              <pre className={`mono ms-preview ms-${p.kind}`}>
                {p.text}
                {p.truncated && '…'}
              </pre>
            </li>
          );
        })}
      </ol>
      {r.pending && (
        <div className="ms-msg ms-pending" data-pending="true">
          <div className="ms-head">
            <span className="ms-badge">pending</span>{' '}
            <span className="mono">
              bytes {r.pending.start}–{r.pending.start + r.pending.length}
            </span>{' '}
            <span className="muted">
              {r.pending.length} B incomplete, {readList(r.pending.reads)}
            </span>
          </div>
          <pre className="mono ms-preview">{previewPayload(r.pending.data).text}</pre>
        </div>
      )}
    </section>
  );
}

export function MessagesView(props: { row: ConnectionRow; refresh?: number }) {
  const { row } = props;
  const { data, error } = useMessages(row.id, `${row.bytesIn}/${row.bytesOut}/${props.refresh ?? 0}`);
  const framing = data?.in.framing ?? row.framing ?? null;
  return (
    <div className="dt-panel-body ms-view">
      <p className="muted">
        Framing: {framing ? describeFramingRule(framing) : 'none — set a framing rule to cut the bytes into messages'}
      </p>
      <Feedback error={error} />
      {data && (
        <>
          <Direction reply={data.in} />
          <Direction reply={data.out} />
        </>
      )}
    </div>
  );
}
