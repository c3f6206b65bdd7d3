// Auto-responders of a connection or listener: mode, ordered rules with their hit counters, Save (PUT .../responders).
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { FramingRule, PayloadEncoding, RespondersReply, RespondersSummary, ThenAction } from '../../../shared';
import { SockscopeError, getResponders, putResponders, type SocketKind } from '../../api/client';
import {
  draftsToBody,
  fieldOfServer,
  newDraft,
  ruleToDraft,
  type DraftProblem,
  type MatchKind,
  type RuleDraft,
  type RuleField,
} from '../../state/responder-form';
import { replyHint } from '../../state/reply-hint';
import { Feedback } from './Feedback';
import { useAction } from './use-action';
import { plural } from '../../format';

const REFRESH_MS = 1000;
const ENCODINGS: readonly PayloadEncoding[] = ['utf8', 'hex', 'base64', 'escaped'];
const MATCH_KINDS: readonly { id: MatchKind; label: string }[] = [
  { id: 'any', label: 'every message' },
  { id: 'regex', label: 'regex' },
  { id: 'equals', label: 'equals' },
  { id: 'contains', label: 'contains' },
  { id: 'startsWith', label: 'starts with' },
];
type Mode = RespondersReply['mode'];

function RuleRow(props: {
  index: number;
  draft: RuleDraft;
  hits: number | null;
  problem: DraftProblem | null;
  framing: FramingRule | null | undefined;
  onChange: (d: RuleDraft) => void;
  onRemove: () => void;
}) {
  const { draft: d, index: i, problem } = props;
  const errId = useId();
  const hintId = useId();
  const hint = replyHint(d.reply, d.replyEncoding, props.framing);
  const set = (patch: Partial<RuleDraft>) => props.onChange({ ...d, ...patch });
  const bad = (field: RuleField) =>
    problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': errId } : {};
  const n = i + 1;
  return (
    <li className="rs-rule" data-rule={i}>
      <div className="dt-send-row">
        <span className="mono">#{n}</span>
        <select
          aria-label={`Rule ${n} match`}
          value={d.matchKind}
          onChange={(e) => set({ matchKind: e.target.value as MatchKind })}
        >
          {MATCH_KINDS.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </select>
        {d.matchKind !== 'any' && (
          <input
            aria-label={`Rule ${n} pattern`}
            className="mono"
            spellCheck={false}
            value={d.match}
            onChange={(e) => set({ match: e.target.value })}
            {...bad('match')}
          />
        )}
        {d.matchKind === 'regex' && (
          <input
            aria-label={`Rule ${n} flags`}
            className="mono fr-num"
            value={d.flags}
            onChange={(e) => set({ flags: e.target.value })}
            {...bad('flags')}
          />
        )}
        {d.matchKind !== 'any' && d.matchKind !== 'regex' && (
          <select
            aria-label={`Rule ${n} pattern encoding`}
            value={d.matchEncoding}
            onChange={(e) => set({ matchEncoding: e.target.value as PayloadEncoding })}
          >
            {ENCODINGS.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        )}
        <span className="rs-hits" aria-label={`Rule ${n} hits`}>
          {props.hits === null ? 'unsaved' : plural(props.hits, 'hit')}
        </span>
      </div>
      <div className="dt-send-row">
        <input
          aria-label={`Rule ${n} reply`}
          className="mono"
          spellCheck={false}
          placeholder="reply ($1 for a regex group)"
          value={d.reply}
          onChange={(e) => set({ reply: e.target.value })}
          {...(hint && problem?.field !== 'reply' ? { 'aria-describedby': hintId } : {})}
          {...bad('reply')}
        />
        <select
          aria-label={`Rule ${n} reply encoding`}
          value={d.replyEncoding}
          onChange={(e) => set({ replyEncoding: e.target.value as PayloadEncoding })}
        >
          {ENCODINGS.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <input
          aria-label={`Rule ${n} delay ms`}
          className="fr-num"
          inputMode="numeric"
          placeholder="delay ms"
          value={d.delayMs}
          onChange={(e) => set({ delayMs: e.target.value })}
          {...bad('delay')}
        />
        <select
          aria-label={`Rule ${n} then`}
          value={d.then}
          onChange={(e) => set({ then: e.target.value as ThenAction | '' })}
          {...bad('then')}
        >
          <option value="">then nothing</option>
          <option value="close">then close</option>
          <option value="half-close">then half-close</option>
          <option value="reset">then reset</option>
        </select>
        <button type="button" onClick={props.onRemove} aria-label={`Remove rule ${n}`}>
          Remove
        </button>
      </div>
      {hint && (
        <p id={hintId} className={hint.tone === 'problem' ? 'rs-hint dt-warn' : 'rs-hint muted'} data-hint={hint.tone}>
          {hint.text}
        </p>
      )}
      {problem && (
        <p className="dt-error" role="alert" id={errId}>
          {problem.message}
        </p>
      )}
    </li>
  );
}

interface EditorProps {
  kind: SocketKind;
  id: string;
  /** The row's responders in brief: a new one (a config event) means the rules changed, here or elsewhere. */
  summary?: RespondersSummary | undefined;
  /** The framing rule replies are framed with (a listener's: the one its connections inherit). */
  framing?: FramingRule | null | undefined;
}

/** Folded by default: the rules load (and their counters refresh) only while it is open. */
export function RespondersEditor(props: EditorProps) {
  const [open, setOpen] = useState(false);
  return (
    <details className="rs-fold" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Responders</summary>
      {open && <RespondersForm {...props} />}
    </details>
  );
}

function RespondersForm(props: EditorProps) {
  const { kind, id, summary } = props;
  const [server, setServer] = useState<RespondersReply | null>(null);
  const [mode, setMode] = useState<Mode>('off');
  const [drafts, setDrafts] = useState<RuleDraft[]>([]);
  const [dirty, setDirty] = useState(false);
  const [problem, setProblem] = useState<DraftProblem | null>(null);
  const [elsewhere, setElsewhere] = useState(false);
  const action = useAction();
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  const adopt = useCallback((r: RespondersReply) => {
    setServer(r);
    setMode(r.mode);
    setDrafts(r.rules.map(ruleToDraft));
    setDirty(false);
    setElsewhere(false);
  }, []);

  // A config event changed the responders (a script, another tab, or this form's own save): reload the rules, unless
  // the user is editing them, who is told instead.
  const firstSummary = useRef(summary);
  useEffect(() => {
    if (summary === firstSummary.current) return;
    firstSummary.current = summary;
    let live = true;
    void getResponders(kind, id).then(
      (r) => {
        if (!live) return;
        if (dirtyRef.current) {
          setServer(r);
          setElsewhere(true);
        } else adopt(r);
      },
      () => {}, // the timer's refresh will try again
    );
    return () => {
      live = false;
    };
  }, [summary, kind, id, adopt]);

  // The first load sets the drafts; later refreshes (timer, only while the page is visible) only move counters.
  useEffect(() => {
    let live = true;
    let first = true;
    const load = async () => {
      if (document.visibilityState === 'hidden' && !first) return;
      try {
        const r = await getResponders(kind, id);
        if (!live) return;
        if (first) adopt(r);
        else setServer(r);
        first = false;
      } catch {
        // shown by Save; a refresh failing is not worth a banner
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [kind, id, adopt]);

  const edit = (next: RuleDraft[]) => {
    setDrafts(next);
    setDirty(true);
    setProblem(null);
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const r = draftsToBody(mode, drafts);
    if (!r.ok) {
      setProblem(r);
      return;
    }
    setProblem(null);
    void action.run('responders', async () => {
      try {
        adopt(await putResponders(kind, id, r.body));
      } catch (err) {
        const at = fieldOfServer(err instanceof SockscopeError ? err.field : null);
        if (at) {
          setProblem({ ...at, message: err instanceof Error ? err.message : String(err) });
          return null;
        }
        throw err;
      }
      return 'Responders saved.';
    });
  };

  return (
    <form className="rs-editor" aria-label="Responders" onSubmit={save}>
      <div className="dt-send-row">
        <select
          aria-label="Responder mode"
          value={mode}
          onChange={(e) => {
            setMode(e.target.value as Mode);
            setDirty(true);
          }}
        >
          <option value="off">off</option>
          <option value="echo">echo</option>
          <option value="rules">rules</option>
        </select>
        {server && (
          <span className="muted" aria-label="Responder counters">
            {plural(server.replies, 'reply', 'replies')}, {plural(server.echoes, 'echo', 'echoes')}
            {server.suppressed > 0 && `, ${server.suppressed} suppressed by the rate limit`}
          </span>
        )}
      </div>
      {kind === 'listeners' && (
        <p className="muted">Given to connections accepted from now on; hits count over all of them.</p>
      )}
      {mode === 'rules' && (
        <ol className="rs-rules">
          {drafts.map((d, i) => (
            <RuleRow
              key={d.key}
              index={i}
              draft={d}
              hits={!dirty && server ? (server.rules[i]?.hits ?? 0) : null}
              problem={problem?.rule === i ? problem : null}
              framing={props.framing}
              onChange={(nd) => edit(drafts.map((x, j) => (j === i ? nd : x)))}
              onRemove={() => edit(drafts.filter((_, j) => j !== i))}
            />
          ))}
        </ol>
      )}
      <div className="dt-send-row">
        {mode === 'rules' && (
          <button type="button" onClick={() => edit([...drafts, newDraft()])}>
            Add rule
          </button>
        )}
        <button type="submit" disabled={action.busy !== null}>
          Save responders
        </button>
        {dirty && <span className="muted">unsaved changes</span>}
      </div>
      {elsewhere && dirty && (
        <p className="dt-warn" role="note">
          The responders were changed elsewhere while you edited: Save replaces them with yours.
        </p>
      )}
      {server?.lastError && (
        <p className="dt-error" role="alert">
          <code>RESPONDER</code> {server.lastError}
        </p>
      )}
      <Feedback error={action.error} note={action.note} />
    </form>
  );
}
