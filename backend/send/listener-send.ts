// Sending on a listening socket: refused as NOT_CONNECTED with an ENOTCONN fault, like a real socket error.
import { addressPort, type ListenerRow } from '../../shared';
import { requestError, type InspectorError } from '../inspector/errors';
import { makeFault } from '../inspector/to-fault';

/**
 * A listening socket has no peer. POSIX (and BSD, macOS) answer send() on it with ENOTCONN; Linux's send() says EPIPE
 * while recv() and getpeername() say ENOTCONN. Node has no write on a net.Server, so no syscall is made: sockscope
 * reports the POSIX code, and the message says what Linux's send() would have returned.
 */
export function listenerSendError(listener: ListenerRow): InspectorError {
  const { address, port } = listener.local;
  const where = addressPort(address, port);
  const fault = makeFault(
    'ENOTCONN',
    `send ENOTCONN ${where}: ${listener.id} is a listening socket and has no peer (Linux's send() gives EPIPE here, recv() ENOTCONN)`,
    listener.state,
    { syscall: 'send', address, port },
  );
  return requestError(
    'NOT_CONNECTED',
    `${listener.id} is a listener: it has no peer to send to; send on a connection it accepted`,
    { fault },
  );
}
