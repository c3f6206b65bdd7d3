// The Host sockets tab: the machine's whole TCP table, refreshed about once a second while shown, or why there is none.
import { useCallback, useMemo } from 'react';
import { buildHostView, hostQuery, nextHostSort, type HostSortColumn } from '../../state/host-view';
import { clock, plural } from '../../format';
import { HostTable, HOST_COLUMNS } from './HostTable';
import type { HostOptions } from './use-host-options';
import { useHostSockets } from './use-host-sockets';
import './host.css';

const n = (x: number) => x.toLocaleString('en-US');

export function HostView(props: { host: HostOptions; onOwner: (id: string) => void }) {
  const { host } = props;
  const { options, setSort } = host;
  const query = useMemo(() => hostQuery(options), [options]);
  const { reply, error } = useHostSockets(query, !host.paused);
  const view = useMemo(() => buildHostView(reply?.sockets ?? [], options), [reply, options]);
  const onSort = useCallback((c: HostSortColumn) => setSort((s) => nextHostSort(s, c)), [setSort]);

  if (reply && !reply.kernel.available)
    return (
      <div className="host-unavailable" role="status">
        <h2>The kernel view is not available here</h2>
        <p>{reply.kernel.reason ?? 'The server gave no reason.'}</p>
        <p className="muted">
          Listeners and connections work as usual; only kernel states, Recv-Q/Send-Q and this host table are missing.
        </p>
      </div>
    );

  const sortLabel = options.sort && HOST_COLUMNS.find((c) => c.id === options.sort?.column)?.label;
  const filtered = query.state !== undefined || query.port !== undefined;
  return (
    <div className="table-pane host-pane">
      <HostTable
        items={view.items}
        sort={options.sort}
        onSort={onSort}
        onOwner={props.onOwner}
        empty={
          reply
            ? 'No sockets match the filter.'
            : error
              ? `Could not read the host's sockets: ${error}`
              : 'Reading /proc/net/tcp…'
        }
      />
      <div className="table-status host-status">
        <span>
          {view.items.length === view.total && !filtered
            ? plural(view.total, 'socket')
            : `${n(view.items.length)} of ${filtered ? 'the matching ' : ''}${plural(view.total, 'socket')} shown`}
          {view.own > 0 && ` · ${n(view.own)} sockscope's`}
        </span>
        <span>
          {sortLabel ? `sorted by ${sortLabel} ${options.sort?.direction === 'asc' ? '▲' : '▼'}` : 'in kernel order'}
        </span>
        <span className={host.paused ? 'host-refresh paused' : 'host-refresh'}>
          {host.paused ? 'paused' : 'live'}
          {reply && ` · read at ${clock(reply.at)}`}
        </span>
        {error && reply && (
          <span className="host-error" role="alert">
            refresh failed: {error}
          </span>
        )}
      </div>
    </div>
  );
}
