// `ss -tan` run for real and parsed: the reference the kernel view is compared with.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Endpoint, TcpState } from '../../../shared';

export interface SsRow {
  state: TcpState;
  recvQ: number;
  sendQ: number;
  local: Endpoint;
  remote: Endpoint;
}

const STATE: Record<string, TcpState> = {
  ESTAB: 'ESTABLISHED',
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECV',
  'FIN-WAIT-1': 'FIN_WAIT1',
  'FIN-WAIT-2': 'FIN_WAIT2',
  'TIME-WAIT': 'TIME_WAIT',
  UNCONN: 'CLOSE',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  'LAST-ACK': 'LAST_ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
};

/** `[::1]:80`, `127.0.0.1:80`, `*:80`, `0.0.0.0:*`, `127.0.0.53%lo:53` -> address and port (`*` port is 0). */
function endpoint(text: string): Endpoint {
  const colon = text.lastIndexOf(':');
  const port = text.slice(colon + 1);
  const address = text
    .slice(0, colon)
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  return { address: address === '*' ? '::' : address, port: port === '*' ? 0 : Number(port) };
}

/** Every TCP socket as `ss -tanH` prints it; extra args add a filter (`sport = :80`; a `state` filter drops the column). */
export async function ssTan(...extra: string[]): Promise<SsRow[]> {
  const { stdout } = await promisify(execFile)('ss', ['-tanH', ...extra]);
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [state = '', recvQ, sendQ, local = '', remote = ''] = line.trim().split(/\s+/);
      const s = STATE[state];
      if (!s) throw new Error(`unexpected ss state ${JSON.stringify(state)} in ${JSON.stringify(line)}`);
      return { state: s, recvQ: Number(recvQ), sendQ: Number(sendQ), local: endpoint(local), remote: endpoint(remote) };
    });
}
