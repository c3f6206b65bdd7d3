// The host view: every TCP socket on the machine as `ss -tan` lists it, with owning process and sockscope's own marked.
import { TCP_STATES, type HostSocket, type TcpState } from '../../shared';
import { badRequest } from '../inspector/errors';
import { fieldsAt } from './kernel-match';
import type { LatestRead } from './kernel-poller';
import type { Owner } from './process-owners';

/** ss's spellings (`ss -tan` prints ESTAB, TIME-WAIT...; its filters say established, fin-wait-1...). */
const ALIASES: Record<string, TcpState> = {
  ESTAB: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  LISTENING: 'LISTEN',
  CLOSED: 'CLOSE',
  UNCONN: 'CLOSE',
};

const isTcpState = (s: string): s is TcpState => (TCP_STATES as readonly string[]).includes(s);

/** `TIME_WAIT,close-wait,ESTAB` -> the set of states; null when no filter; BAD_REQUEST naming an unknown state. */
export function parseStateFilter(text: string | undefined): ReadonlySet<TcpState> | null {
  if (text === undefined || text.trim() === '') return null;
  const states = new Set<TcpState>();
  for (const raw of text.split(',')) {
    const name = raw.trim().toUpperCase().replace(/-/g, '_');
    if (name === '') continue;
    const state = isTcpState(name) ? name : ALIASES[name];
    if (state === undefined)
      throw badRequest(
        `unknown TCP state ${JSON.stringify(raw.trim())}; known: ${TCP_STATES.join(', ')} ` +
          '(ss spellings such as TIME-WAIT or ESTAB too)',
        'state',
      );
    states.add(state);
  }
  return states;
}

export interface HostFilter {
  states: ReadonlySet<TcpState> | null;
  /** Local or remote port. */
  port: number | undefined;
}

/** Row indexes of the latest read that pass the filter, in /proc order (tcp, then tcp6). */
export function selectRows({ read }: LatestRead, filter: HostFilter): number[] {
  const t = read.table;
  const rows: number[] = [];
  for (let i = 0; i < t.size; i++) {
    if (filter.states !== null && !filter.states.has(t.state(i))) continue;
    if (filter.port !== undefined && t.localPort[i] !== filter.port && t.remotePort[i] !== filter.port) continue;
    rows.push(i);
  }
  return rows;
}

export function toHostSocket(latest: LatestRead, i: number, owners: ReadonlyMap<number, Owner>): HostSocket {
  const t = latest.read.table;
  const target = latest.owned.get(i);
  // /proc has no backlog column: for sockscope's own listeners Send-Q shows it, as ss does; others show /proc's 0.
  const sendQ = target?.kind === 'listener' ? fieldsAt(t, i, target, latest.read.somaxconn).sendQ! : t.txQueue[i]!;
  const owner = owners.get(t.inode[i]!);
  return {
    proto: t.v6[i] === 1 ? 'tcp6' : 'tcp',
    state: t.state(i),
    recvQ: t.rxQueue[i]!,
    sendQ,
    local: { address: t.localAddress[i]!, port: t.localPort[i]! },
    remote: { address: t.remoteAddress[i]!, port: t.remotePort[i]! },
    uid: t.uid[i]!,
    inode: t.inode[i]!,
    pid: owner?.pid ?? null,
    process: owner?.process ?? null,
    ownerId: target?.id ?? null,
  };
}
