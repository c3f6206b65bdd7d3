// The host view's toolbar part: free text, kernel state, port, and Pause/Resume of the once-a-second refresh.
import type { Ref } from 'react';
import { HOST_STATE_FILTERS, isHostStateFilter, type HostStateFilter } from '../../state/host-view';
import type { HostOptions } from './use-host-options';

const label = (s: HostStateFilter) => (s === 'all' ? 'All states' : s === 'own' ? "sockscope's only" : s);

export function HostFilterBar(props: { host: HostOptions; inputRef?: Ref<HTMLInputElement> }) {
  const { host } = props;
  const portInvalid = host.portText.trim() !== '' && host.options.port === null;
  return (
    <div className="filter-bar host-filter" role="search" aria-label="Host sockets filter">
      <input
        ref={props.inputRef}
        type="text"
        aria-label="Filter"
        placeholder="Filter   address, port:22, state, process, uid:0, c-3"
        spellCheck={false}
        autoComplete="off"
        value={host.text}
        onChange={(e) => host.setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Escape' || !host.text) return;
          e.stopPropagation();
          host.setText('');
        }}
      />
      <select
        aria-label="State filter"
        value={host.state}
        onChange={(e) => isHostStateFilter(e.target.value) && host.setState(e.target.value)}
      >
        {HOST_STATE_FILTERS.map((s) => (
          <option key={s} value={s}>
            {label(s)}
          </option>
        ))}
      </select>
      <input
        type="text"
        inputMode="numeric"
        className="host-port"
        aria-label="Port"
        aria-invalid={portInvalid || undefined}
        title={portInvalid ? 'A port is a whole number from 0 to 65535' : 'Local or remote port'}
        placeholder="port"
        spellCheck={false}
        autoComplete="off"
        value={host.portText}
        onChange={(e) => host.setPortText(e.target.value)}
      />
      <button
        type="button"
        aria-pressed={host.paused}
        className="host-pause"
        title={
          host.paused ? 'Paused: press to refresh once a second again' : 'Stop refreshing: the table stays as it is'
        }
        onClick={() => host.setPaused(!host.paused)}
      >
        Pause refresh
      </button>
    </div>
  );
}
