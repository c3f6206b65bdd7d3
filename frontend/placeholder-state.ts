// The placeholder's view: rows (folded by state/fold.ts) plus a tail of recent events and their one-line summaries.
import {
  assertNever,
  decodeBase64,
  escapePreview,
  type Endpoint,
  type InspectorEvent,
  type StreamFrame,
} from '../shared';
import { emptyTable, foldEvents, fromSnapshot, type TableState } from './state/fold';

export const TAIL_SIZE = 200;

export interface ViewState {
  /** null until the first snapshot arrives. */
  table: TableState | null;
  /** Oldest first, at most TAIL_SIZE. */
  tail: readonly InspectorEvent[];
  /** Events the server no longer had when we resumed. */
  missed: number;
}

export const emptyView: ViewState = { table: null, tail: [], missed: 0 };

const capped = (tail: readonly InspectorEvent[]) => (tail.length > TAIL_SIZE ? tail.slice(-TAIL_SIZE) : tail);

export function applyFrame(state: ViewState, frame: StreamFrame): ViewState {
  if (frame.type === 'snapshot') {
    const lastTail = state.tail.at(-1)?.seq ?? 0;
    return {
      table: fromSnapshot(frame),
      tail: capped([...state.tail, ...frame.replay.filter((e) => e.seq > lastTail)]),
      missed: state.missed + frame.missed,
    };
  }
  const table = state.table ?? emptyTable();
  if (frame.seq <= table.seq) return state;
  return { ...state, table: foldEvents(table, [frame]), tail: capped([...state.tail, frame]) };
}

export const endpoint = (ep: Endpoint | null | undefined): string =>
  !ep ? '—' : ep.address.includes(':') ? `[${ep.address}]:${ep.port}` : `${ep.address}:${ep.port}`;

function dataPreview(data: string, truncated: boolean): string {
  if (truncated) return '(payload left out)';
  const bytes = decodeBase64(data);
  return bytes.ok ? `"${escapePreview(bytes.bytes, 40)}"` : '(undecodable)';
}

/** One line per event for the tail. */
export function summarize(e: InspectorEvent): string {
  switch (e.type) {
    case 'listener/opened':
      return `listening on ${endpoint(e.listener.local)} (${e.listener.accept})`;
    case 'listener/state':
      return `${e.from} → ${e.to}`;
    case 'socket/state':
      return `${e.from} → ${e.to} (${e.cause})`;
    case 'listener/fault':
    case 'socket/fault':
      return `${e.fault.code}${e.fault.errno === null ? '' : ` ${e.fault.errno}`} in ${e.fault.syscall ?? '?'}: ${e.fault.message}`;
    case 'listener/closed':
      return `closed (${e.listener.accepted} accepted)`;
    case 'socket/opened':
      return e.connection.kind === 'client'
        ? `client to ${endpoint(e.connection.target)}`
        : `accepted from ${endpoint(e.connection.remote)} by ${e.connection.parent ?? '?'}`;
    case 'socket/attempt':
      return `attempt ${e.attempt}/${e.attempts} to ${e.host}:${e.port}`;
    case 'socket/data':
      return `${e.direction} ${e.length} B ${dataPreview(e.data, e.truncated)}`;
    case 'socket/flow':
      return e.paused ? 'reading paused' : 'reading resumed';
    case 'socket/options':
      return `noDelay ${e.noDelay}, keepAlive ${e.keepAlive}`;
    case 'socket/closed':
      return `closed as ${e.connection.state}, ${e.connection.bytesIn} B in / ${e.connection.bytesOut} B out`;
    case 'socket/queue':
      return `${e.queuedBytes} B queued in sockscope`;
    case 'socket/kernel':
    case 'listener/kernel':
      return `kernel ${e.tcpState ?? 'gone'} Recv-Q ${e.recvQ ?? '-'} Send-Q ${e.sendQ ?? '-'}`;
    default:
      return assertNever(e);
  }
}
