// The kernel's TCP states and the kernel fields rows carry (never derived from the app state).
import { Type } from 'typebox';
import { Nullable } from './nullable';

export const TCP_STATES = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
] as const;
export type TcpState = (typeof TCP_STATES)[number];
export const TcpStateSchema = Type.Enum(TCP_STATES);

/** Kernel fields carried by rows: all null until the kernel view has matched the socket (or where there is no /proc). */
export const KernelFieldsSchema = {
  tcpState: Nullable(TcpStateSchema),
  recvQ: Nullable(
    Type.Integer({
      minimum: 0,
      description: 'Bytes received but not read by the app; for LISTEN, connections waiting in the accept queue',
    }),
  ),
  sendQ: Nullable(
    Type.Integer({ minimum: 0, description: 'Bytes sent but not acknowledged by the peer; for LISTEN, the backlog' }),
  ),
};
