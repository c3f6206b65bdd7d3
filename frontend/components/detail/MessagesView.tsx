// Framed messages of both directions from /messages, a page of each (since/limit), re-fetched (throttled) as the
// row's byte counters move.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeFramingRule, type ConnectionRow, type Direction as Dir, type MessagesReply } from '../../../shared';
import { api } from '../../api/client';
import { FIRST, pageLabel, pageLinks, sinceOf, type PagePos } from '../../state/message-paging';
import { moreText, previewPayload, readBadges, readList, type Preview } from '../../state/message-view';
import { toActionError, type ActionError } from './use-action';
import { Feedback } from './Feedback';
import { plural } from '../../format';

const THROTTLE_MS = 250;
const LIMIT = 1000;

interface Page {
  reply: MessagesReply | null;
  error: ActionError | null;
  /** The position last answered (with a reply or an error): while it differs from the asked one, a page is loading. */
  pos: PagePos | null;
}

/** One direction's page at `pos`; the newest page is re-asked once when messages arrived between the two calls. */
function usePage(id: string, direction: Dir, key: string, pos: PagePos, limit: number) {
  const [page, setPage] = useState<Page>({ reply: null, error: null, pos: null });
  const last = useRef(0);
  const lastIndex = useRef(0);
  useEffect(() => {
    let live = true;
    const load = async () => {
      last.current = Date.now();
      try {
        let r = await api.messages(id, { direction, since: sinceOf(pos, limit, lastIndex.current), limit });
        if (live && pos.kind === 'newest' && r.more)
          r = await api.messages(id, { direction, since: sinceOf(pos, limit, r.lastIndex), limit });
        if (!live) return;
        lastIndex.current = r.lastIndex;
        setPage({ reply: r, error: null, pos });
      } catch (e) {
        if (live) setPage((p) => ({ ...p, error: toActionError(e), pos }));
      }
    };
    const wait = Math.max(0, last.current + THROTTLE_MS - Date.now());
    const timer = setTimeout(() => void load(), wait);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, direction, key, pos, limit]);
  return { ...page, loading: page.pos !== pos };
}

function Pager(props: { reply: MessagesReply; pos: PagePos; busy: boolean; onPage: (pos: PagePos) => void }) {
  const { reply, busy, onPage } = props;
  const links = pageLinks(reply, LIMIT);
  const paged = !links.atFirst || !links.atNewest || props.pos.kind !== 'first';
  const go = (label: string, to: PagePos | null, disabled = to === null) => (
    <button type="button" disabled={disabled || busy} onClick={() => to && onPage(to)}>
      {label}
    </button>
  );
  return (
    <div className="dt-buttons ms-pager">
      <span className="ms-range">{pageLabel(reply)}</span>
      {paged && (
        <>
          {go('First', FIRST, links.atFirst)}
          {go('Older', links.older)}
          {go('Newer', links.newer)}
          {go('Newest', { kind: 'newest' }, links.atNewest)}
        </>
      )}
    </div>
  );
}

function Direction(props: { id: string; direction: Dir; refreshKey: string; onFraming?: (r: MessagesReply) => void }) {
  const [pos, setPos] = useState<PagePos>(FIRST);
  const page = usePage(props.id, props.direction, props.refreshKey, pos, LIMIT);
  const { onFraming } = props;
  useEffect(() => {
    if (page.reply) onFraming?.(page.reply);
  }, [page.reply, onFraming]);
  const r = page.reply;
  return (
    <section className="ms-dir" aria-label={`Messages ${props.direction}`} aria-busy={page.loading || undefined}>
      <h4>{props.direction === 'in' ? 'in (received)' : 'out (sent)'}</h4>
      <Feedback error={page.error} />
      {r && (
        <>
          <Pager reply={r} pos={pos} busy={page.loading} onPage={setPos} />
          <MessageList reply={r} />
        </>
      )}
    </section>
  );
}

/** A payload preview; a cut one says how much it leaves out, outside the scrolling box so it is always seen. */
function PreviewBlock(props: { preview: Preview }) {
  const p = props.preview;
  return (
    <>
      <pre className={`mono ms-preview ms-${p.kind}`}>{p.text}</pre>
      {p.truncated && (
        <p className="ms-more muted" data-more-bytes={p.moreBytes}>
          {moreText(p)}
        </p>
      )}
    </>
  );
}

/** The page's messages with their read badges; the pending tail only on the page that reaches the newest message. */
function MessageList(props: { reply: MessagesReply }) {
  const r = props.reply;
  const badges = readBadges(r.messages);
  return (
    <>
      {r.error && (
        <p className="dt-error" role="alert">
          <code>FRAMING</code> {r.error}
          {(r.droppedBytes ?? 0) > 0 && ` (${plural(r.droppedBytes ?? 0, 'byte')} dropped undecoded)`}
        </p>
      )}
      {(r.skippedBytes > 0 || r.droppedMessages > 0) && (
        <p className="muted">
          {r.skippedBytes > 0 &&
            `${plural(r.skippedBytes, 'byte')} skipped before decoding began (may be misaligned). `}
          {r.droppedMessages > 0 && `${plural(r.droppedMessages, 'older message')} dropped`}
          {(r.evictedMessages ?? 0) > 0 &&
            ` (${(r.evictedMessages ?? 0).toLocaleString('en-US')} to keep all connections within framingMessagesTotalBytes)`}
          {r.droppedMessages > 0 && '.'}
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
                  {m.length} B payload, {readList(m)}
                </span>{' '}
                {badge && <span className="ms-badge">{badge}</span>}
              </div>
              <PreviewBlock preview={p} />
            </li>
          );
        })}
      </ol>
      {r.pending && !r.more && (
        <div className="ms-msg ms-pending" data-pending="true">
          <div className="ms-head">
            <span className="ms-badge">pending</span>{' '}
            <span className="mono">
              bytes {r.pending.start}–{r.pending.start + r.pending.length}
            </span>{' '}
            <span className="muted">
              {r.pending.length} B incomplete, {readList(r.pending)}
            </span>
          </div>
          <PreviewBlock preview={previewPayload(r.pending.data, r.pending.length)} />
        </div>
      )}
    </>
  );
}

/** `refresh`: changes when the framing rule does (a new rule numbers messages from 1 again). */
export function MessagesView(props: { row: ConnectionRow; refresh?: string }) {
  const { row } = props;
  const refresh = props.refresh ?? '';
  // Kept as text so that an unchanged rule in a new reply is the same state and React skips the update.
  const [seen, setSeen] = useState<{ id: string; framing: string | null } | null>(null);
  const onFraming = useCallback((r: MessagesReply) => {
    const framing = r.framing ? describeFramingRule(r.framing) : null;
    setSeen((s) => (s?.id === r.id && s.framing === framing ? s : { id: r.id, framing }));
  }, []);
  const framing = seen?.id === row.id ? seen.framing : row.framing ? describeFramingRule(row.framing) : null;
  return (
    <div className="dt-panel-body ms-view">
      <p className="muted">Framing: {framing ?? 'none — set a framing rule to cut the bytes into messages'}</p>
      {/* A new rule numbers messages from 1 again: back to the first page (the new key also re-fetches). */}
      <Direction
        key={`in-${row.id}-${refresh}`}
        id={row.id}
        direction="in"
        refreshKey={String(row.bytesIn)}
        onFraming={onFraming}
      />
      <Direction key={`out-${row.id}-${refresh}`} id={row.id} direction="out" refreshKey={String(row.bytesOut)} />
    </div>
  );
}
