// Who the connection is and what it has done: id, role, endpoints, app and kernel state, counters, errno.
import type { ReactNode } from 'react';
import type { ConnectionRow } from '../../../shared';
import { bytes, endpoint } from '../../format';
import { captureHeadText, respondersText } from '../../state/config-text';
import type { Store } from '../../state/store';
import { FaultBadge } from '../FaultBadge';
import { plural } from './detail-format';

function Stat(props: { label: string; children: ReactNode; title?: string }) {
  return (
    <div className="dt-stat" title={props.title}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

export function ConnectionHeader(props: { row: ConnectionRow; store: Store }) {
  const { row } = props;
  const kernel = row.tcpState !== null || row.recvQ !== null || row.sendQ !== null;
  return (
    <header className="dt-header">
      <div className="dt-title">
        <h2 className="mono">{row.id}</h2>
        <span className="dt-role">
          {row.kind === 'client' ? (
            'client'
          ) : (
            <>
              accepted by{' '}
              {row.parent ? (
                <button type="button" className="linkish mono" onClick={() => props.store.select(row.parent)}>
                  {row.parent}
                </button>
              ) : (
                '?'
              )}
            </>
          )}
        </span>
        <span className={`dt-app-state state-${row.state}`} data-state={row.state}>
          {row.state}
        </span>
        {row.paused && <span className="dt-flag">reading paused</span>}
        <FaultBadge fault={row.fault} />
      </div>
      <div className="dt-ends mono">
        <span title="local address">{endpoint(row.local)}</span>
        <span aria-label="to"> ⇄ </span>
        {row.remote ? (
          <span title="remote address">{endpoint(row.remote)}</span>
        ) : (
          <span className="muted" title="target (not connected)">
            {endpoint(row.target)}
          </span>
        )}
        {row.kind === 'client' && row.attempts > 1 && (
          <span className="muted">
            {' '}
            attempt {row.attempt}/{row.attempts}
          </span>
        )}
      </div>
      <dl className="dt-stats">
        {kernel && (
          <Stat label="kernel" title="From /proc/net/tcp: the kernel's own TCP state and queues">
            <span className="mono">{row.tcpState ?? '—'}</span> Recv-Q {row.recvQ ?? '—'} Send-Q {row.sendQ ?? '—'}
          </Stat>
        )}
        <Stat label="in">
          {bytes(row.bytesIn)} · {plural(row.chunksIn, 'read')}
        </Stat>
        <Stat label="out">
          {bytes(row.bytesOut)} · {plural(row.chunksOut, 'write')}
        </Stat>
        <Stat label="queued" title="Written by sockscope but still buffered in Node (backpressure)">
          {bytes(row.queuedBytes)}
        </Stat>
        <Stat label="dropped" title="Evicted from the server's bounded capture (counts stay exact)">
          <span className={row.droppedChunks > 0 ? 'dt-warn-text' : undefined}>
            {bytes(row.droppedBytes)} · {plural(row.droppedChunks, 'chunk')}
          </span>
        </Stat>
        <Stat label="options" title="Socket options and settings, as set now (live: a change over REST shows here)">
          <span data-settings="options">
            TCP_NODELAY {row.noDelay ? 'on' : 'off'} · SO_KEEPALIVE {row.keepAlive ? 'on' : 'off'}
            {row.captureHeadBytes !== undefined && ` · capture head ${captureHeadText(row.captureHeadBytes)}`}
            {row.closeOnPeerFin && ' · closes on peer FIN'}
          </span>
        </Stat>
        <Stat label="responders">
          <span data-settings="responders">{respondersText(row.responders)}</span>
        </Stat>
      </dl>
    </header>
  );
}
