// The State column: the app's state, and beside it the kernel's TCP state once the kernel view has matched the socket.
import { memo } from 'react';
import type { ConnectionState, ListenerState, TcpState } from '../../shared';
import { Flash } from './Flash';

// The kernel states each app state normally goes with; anything else is worth a look (e.g. closed · TIME_WAIT).
const USUAL: Record<ConnectionState | ListenerState, readonly TcpState[]> = {
  listening: ['LISTEN'],
  connecting: ['SYN_SENT'],
  open: ['ESTABLISHED'],
  'half-closed-local': ['FIN_WAIT1', 'FIN_WAIT2'],
  'half-closed-remote': ['CLOSE_WAIT'],
  closed: [],
  failed: [],
};

export const kernelAgrees = (state: ConnectionState | ListenerState, tcp: TcpState): boolean =>
  USUAL[state].includes(tcp);

export const StateCell = memo(function StateCell(props: {
  state: ConnectionState | ListenerState;
  tcpState: TcpState | null;
  attempt?: string | undefined;
  paused?: boolean;
}) {
  const { state, tcpState } = props;
  const kernelTitle = tcpState
    ? `App state ${state}; kernel TCP state ${tcpState}${kernelAgrees(state, tcpState) ? '' : ' (worth a look)'}`
    : `App state ${state}; no kernel view of this socket`;
  return (
    <td data-col="state" className="col-state" title={kernelTitle}>
      <Flash value={`${state} ${tcpState ?? ''}`}>
        <span className={`state state-${state}`}>{state}</span>
        {tcpState && (
          <span className={kernelAgrees(state, tcpState) ? 'kernel' : 'kernel kernel-differs'}> · {tcpState}</span>
        )}
      </Flash>
      {props.attempt && <span className="tag">{props.attempt}</span>}
      {props.paused && <span className="tag tag-warn">paused</span>}
    </td>
  );
});
