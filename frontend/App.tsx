// Placeholder page: link status, counts, one table of rows and the event tail, all from the stream.
import { useEffect, useReducer, useState } from 'react';
import { isTerminal, type ConnectionRow, type Fault, type ListenerRow } from '../shared';
import { connectEventStream, type LinkStatus } from './api/event-stream';
import { getHealth } from './api/rest-client';
import { applyFrame, emptyView, endpoint, summarize, type ViewState } from './placeholder-state';
import { emptyTable, type TableState } from './state/fold';

function FaultBadge({ fault }: { fault: Fault | null }) {
  if (!fault) return null;
  return (
    <span
      className="badge"
      title={fault.explanation ? `${fault.explanation.title}: ${fault.explanation.cause}` : fault.message}
    >
      {fault.errno === null ? fault.code : `${fault.code} ${fault.errno}`}
    </span>
  );
}

function ListenerLine({ row }: { row: ListenerRow }) {
  return (
    <tr data-id={row.id} data-state={row.state}>
      <td className="mono">{row.id}</td>
      <td>listener</td>
      <td className="mono">{endpoint(row.local)}</td>
      <td className="mono">—</td>
      <td className="state">{row.state}</td>
      <td className="num">—</td>
      <td className="num">—</td>
      <td>
        <FaultBadge fault={row.fault} />
      </td>
    </tr>
  );
}

function ConnectionLine({ row }: { row: ConnectionRow }) {
  return (
    <tr data-id={row.id} data-state={row.state}>
      <td className="mono">{row.id}</td>
      <td>{row.kind}</td>
      <td className="mono">{endpoint(row.local)}</td>
      <td className="mono">
        {row.remote ? endpoint(row.remote) : <span className="muted">→ {endpoint(row.target)}</span>}
      </td>
      <td className="state">{row.state}</td>
      <td className="num">{row.bytesIn}</td>
      <td className="num">{row.bytesOut}</td>
      <td>
        <FaultBadge fault={row.fault} />
      </td>
    </tr>
  );
}

function SocketsTable({ table }: { table: TableState }) {
  if (table.listeners.size + table.connections.size === 0)
    return <p className="muted">No listeners or connections yet.</p>;
  return (
    <table id="sockets">
      <thead>
        <tr>
          {['id', 'kind', 'local', 'remote', 'state', 'bytes in', 'bytes out', 'errno'].map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {[...table.listeners.values()].map((l) => (
          <ListenerLine key={l.id} row={l} />
        ))}
        {[...table.connections.values()].map((c) => (
          <ConnectionLine key={c.id} row={c} />
        ))}
      </tbody>
    </table>
  );
}

function EventTail({ view }: { view: ViewState }) {
  const events = [...view.tail].reverse();
  return (
    <table id="events">
      <thead>
        <tr>
          <th>seq</th>
          <th>type</th>
          <th>id</th>
          <th>summary</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.seq} data-seq={e.seq} data-type={e.type}>
            <td className="num">{e.seq}</td>
            <td className="mono">{e.type}</td>
            <td className="mono">{e.id}</td>
            <td className="mono">{summarize(e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function App() {
  const [view, dispatch] = useReducer(applyFrame, emptyView);
  const [status, setStatus] = useState<LinkStatus>('connecting');
  const [version, setVersion] = useState<string | null>(null);

  useEffect(() => {
    const stream = connectEventStream({ onFrame: dispatch, onStatus: setStatus });
    return () => stream.close();
  }, []);
  useEffect(() => {
    getHealth().then(
      (h) => setVersion(h.version),
      (e: unknown) => console.warn('sockscope: /api/health failed', e),
    );
  }, []);

  const table = view.table ?? emptyTable();
  const listening = [...table.listeners.values()].filter((l) => l.state === 'listening').length;
  const live = [...table.connections.values()].filter((c) => !isTerminal(c.state)).length;
  return (
    <div className={status === 'live' ? 'current' : 'stale'}>
      <header>
        <h1>sockscope</h1>
        {version && <span className="muted">v{version}</span>}
        <span id="link-status" className={`status ${status}`}>
          {status}
        </span>
        <span className="muted">
          last seq <span id="last-seq">{view.table ? table.seq : '—'}</span>
        </span>
      </header>
      <p id="counts">
        <strong>{listening}</strong> listening of {table.listeners.size} listeners · <strong>{live}</strong> live of{' '}
        {table.connections.size} connections
        {view.missed > 0 && <span className="warn"> · {view.missed} events missed while disconnected</span>}
      </p>
      {view.table ? <SocketsTable table={table} /> : <p className="muted">Waiting for the first snapshot…</p>}
      <h2>Events (newest first, last {view.tail.length})</h2>
      <EventTail view={view} />
    </div>
  );
}
