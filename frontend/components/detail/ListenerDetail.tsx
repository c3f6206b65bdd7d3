// A listener's pane: what it is bound to and how it accepts, its kernel accept queue, the sockets accept() returned
// (click to open one), its own timeline, and Stop listening.
import { useMemo, useState } from 'react';
import type { ListenerRow } from '../../../shared';
import { api } from '../../api/client';
import { bytes, endpoint } from '../../format';
import { captureHeadText, respondersText } from '../../state/config-text';
import type { DetailModel } from '../../state/detail-model';
import { useUi, type Store, type UiState } from '../../state/store';
import { FaultBadge } from '../FaultBadge';
import { Feedback } from './Feedback';
import { FramingPicker } from './FramingPicker';
import { LoadStatus } from './LoadStatus';
import { QueueChart } from './QueueChart';
import { RespondersEditor } from './RespondersEditor';
import { TimelineView } from './TimelineView';
import { useAction } from './use-action';
import { useAppliedFraming } from './use-applied-framing';

const selectConnections = (s: UiState) => s.table.connections;

const ACCEPT: Record<ListenerRow['accept'], string> = {
  read: 'read (accept and read)',
  hold: 'hold (accept, never read until resumed)',
  echo: 'echo (write back every read)',
  never: 'never (listen, never accept: Recv-Q is the accept queue)',
};

/** The newest this many are listed; the table has them all. */
const ACCEPTED_SHOWN = 200;

function Accepted(props: { store: Store; id: string }) {
  const connections = useUi(props.store, selectConnections);
  const rows = useMemo(() => [...connections.values()].filter((c) => c.parent === props.id), [connections, props.id]);
  if (rows.length === 0) return <p className="muted">No accepted connections in the table.</p>;
  const shown = rows.slice(-ACCEPTED_SHOWN).reverse();
  return (
    <>
      <ul className="dl-accepted">
        {shown.map((c) => (
          <li key={c.id}>
            <button type="button" className="linkish" onClick={() => props.store.select(c.id)}>
              <span className="mono">{c.id}</span> <span className="mono">{endpoint(c.remote)}</span>{' '}
              <span className={`dt-app-state state-${c.state}`}>{c.state}</span>{' '}
              <span className="muted">
                ← {bytes(c.bytesIn)} → {bytes(c.bytesOut)}
              </span>{' '}
              <FaultBadge fault={c.fault} />
            </button>
          </li>
        ))}
      </ul>
      {rows.length > shown.length && (
        <p className="muted">
          The newest {shown.length} of {rows.length} are listed; the table shows them all under {props.id}.
        </p>
      )}
    </>
  );
}

export function ListenerDetail(props: { row: ListenerRow; store: Store; model: DetailModel | null; version: number }) {
  const { row, model } = props;
  const [closeAccepted, setCloseAccepted] = useState(false);
  const action = useAction();
  const { framing, onApplied } = useAppliedFraming(row.id, row.framing);
  const stop = () =>
    void action.run('stop', async () => {
      await api.closeListener(row.id, { connections: closeAccepted ? 'close' : 'keep' });
      return closeAccepted ? 'Stopped listening and closed the accepted connections.' : 'Stopped listening.';
    });
  return (
    <div className="detail-pane dt-listener" data-id={row.id}>
      <div className="dp-grid">
        <div className="dp-side">
          <header className="dt-header">
            <div className="dt-title">
              <h2 className="mono">{row.id}</h2>
              <span className="dt-role">listener</span>
              <span className={`dt-app-state state-${row.state}`} data-state={row.state}>
                {row.state}
              </span>
              <FaultBadge fault={row.fault} />
            </div>
            <div className="dt-ends mono">{endpoint(row.local)}</div>
            {row.exposed && (
              <p className="dt-warn" role="note">
                Exposed: bound to {row.local.address}, so other hosts can connect to it, not only this machine.
              </p>
            )}
            <dl className="dt-stats">
              <div className="dt-stat">
                <dt>backlog</dt>
                <dd>{row.backlog}</dd>
              </div>
              <div className="dt-stat">
                <dt>accept</dt>
                <dd>{ACCEPT[row.accept]}</dd>
              </div>
              <div className="dt-stat">
                <dt>accepted</dt>
                <dd>{row.accepted}</dd>
              </div>
              <div className="dt-stat" title="Accepted and reset at once because the connection limit was reached">
                <dt>dropped</dt>
                <dd>{row.dropped}</dd>
              </div>
              <div
                className="dt-stat"
                title="Accepted connections close when the peer's FIN arrives, instead of staying in CLOSE_WAIT"
              >
                <dt>on peer FIN</dt>
                <dd data-settings="close-on-fin">{row.closeOnPeerFin ? 'close' : 'stay half-open'}</dd>
              </div>
              <div
                className="dt-stat"
                title="First bytes of each direction that connections accepted from now on keep for good (the default: the captureHeadBytes limit)"
              >
                <dt>capture head</dt>
                <dd data-settings="capture-head">{captureHeadText(row.captureHeadBytes)}</dd>
              </div>
              <div className="dt-stat" title="Responders given to connections accepted from now on">
                <dt>responders</dt>
                <dd data-settings="responders">{respondersText(row.responders)}</dd>
              </div>
              {row.tcpState !== null && (
                <div
                  className="dt-stat"
                  title="From /proc/net/tcp: for a LISTEN socket Recv-Q is the accept queue and Send-Q the backlog"
                >
                  <dt>kernel</dt>
                  <dd>
                    <span className="mono">{row.tcpState}</span> accept queue {row.recvQ ?? '—'} of backlog{' '}
                    {row.sendQ ?? row.backlog}
                  </dd>
                </div>
              )}
            </dl>
          </header>
          <QueueChart store={props.store} row={row} />
          <div className="dt-actions">
            <div className="dt-buttons">
              <button type="button" onClick={stop} disabled={row.state !== 'listening' || action.busy !== null}>
                Stop listening
              </button>
              <label>
                <input type="checkbox" checked={closeAccepted} onChange={(e) => setCloseAccepted(e.target.checked)} />{' '}
                also close accepted connections
              </label>
            </div>
            <Feedback error={action.error} note={action.note} />
          </div>
          <FramingPicker
            key={`framing-${row.id}`}
            kind="listeners"
            id={row.id}
            current={framing}
            onApplied={onApplied}
          />
          <RespondersEditor
            key={`responders-${row.id}`}
            kind="listeners"
            id={row.id}
            summary={row.responders}
            framing={framing}
          />
          <h3>Accepted connections</h3>
          <Accepted store={props.store} id={row.id} />
        </div>
        <section className="dp-main" aria-label="Timeline">
          <h3>Timeline</h3>
          {model && <LoadStatus model={model} />}
          {model && <TimelineView model={model} version={props.version} start={row.createdAt} />}
        </section>
      </div>
    </div>
  );
}
