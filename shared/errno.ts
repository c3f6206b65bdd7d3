// The errno table: what each error means for someone debugging socket code, and what to do about it.
import type { Explanation } from './fault';

export interface ErrnoInfo {
  code: string;
  /** Linux errno number; null for getaddrinfo (EAI_*) codes and Node-only codes. */
  errno: number | null;
  title: string;
  cause: string;
  fix: string;
}

export const REQUIRED_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'EACCES',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ENOTCONN',
  'EISCONN',
  'EAGAIN',
] as const;

const row = (code: string, errno: number | null, title: string, cause: string, fix: string): ErrnoInfo => ({
  code,
  errno,
  title,
  cause,
  fix,
});

const ROWS: readonly ErrnoInfo[] = [
  // Connection set-up
  row(
    'ECONNREFUSED',
    111,
    'Connection refused',
    'The host answered the SYN with an RST: nothing is listening on that address and port. Usually the server has not started listening yet, the port is wrong, or the server is bound to 127.0.0.1 (or ::1) while the client dials another address; a firewall REJECT rule looks exactly the same.',
    'Check that a listener exists on exactly that address and port (`ss -ltn`, or the listeners table) and bind the server to 0.0.0.0 or :: if other hosts must reach it. If the client can start before the server, retry connect with backoff instead of giving up after one try (the retry option shows each attempt as its own fault).',
  ),
  row(
    'ETIMEDOUT',
    110,
    'Connection timed out',
    'Nothing answered: the SYN (or retransmitted data, or keepalive probes) went unacknowledged until the kernel gave up, or the connect timeout you set expired first. Typical causes are a firewall that silently DROPs the packets (a REJECT gives ECONNREFUSED instead), a wrong or unrouted IP, a host that is off, or a server whose accept backlog is full because it never calls accept().',
    'Check the address and whether something on the path drops that port (does `nc -vz host port` hang too?). Always set your own connect and read timeouts instead of waiting minutes for the kernel; here a row that stays `connecting` until the timeout is the signature.',
  ),
  row(
    'EHOSTUNREACH',
    113,
    'No route to host',
    'The local kernel or a router reported the host unreachable: no ARP/neighbour answer on the local subnet (machine off or wrong IP), an ICMP host-unreachable from a router, or a firewall rejecting with icmp-host-prohibited.',
    'Check the IP and that the host is up (`ip route get ADDR`, `ping ADDR`) and look for firewall rules on the target. It fails fast, so back off before retrying rather than looping.',
  ),
  row(
    'EHOSTDOWN',
    112,
    'Host is down',
    'The destination was reported down, typically because it did not answer neighbour discovery on the local link. Linux usually reports this case as EHOSTUNREACH.',
    'Same checks as for EHOSTUNREACH: is the IP right, is the machine on, and is it really on the subnet you think it is?',
  ),
  row(
    'ENETUNREACH',
    101,
    'Network is unreachable',
    'This host has no route to the destination network: most often an IPv6 address on a machine without IPv6 connectivity, a missing default route, or a VPN or interface that is down.',
    'Check `ip route get ADDR`. If a name resolves to IPv6 first, set family 4 or dial the IPv4 address; Node tries both families for names, but an IPv6 literal still fails this way.',
  ),
  row(
    'ENETDOWN',
    100,
    'Network is down',
    'The interface the route goes through is down: cable, Wi-Fi, VPN, or a container network torn down while the socket was using it.',
    'Check `ip link` and `ip route get ADDR`; once the link is back, reconnect with backoff, because connections over that interface are usually lost.',
  ),
  row(
    'EADDRNOTAVAIL',
    99,
    'Address not available',
    'You bound to (or set as localAddress) an IP that is not configured on any interface of this host, such as an address copied from another machine or container. On connect it can also mean the ephemeral ports are exhausted: too many connections to one destination, often thousands left in TIME_WAIT by opening a new connection per request.',
    'Bind to an address listed by `ip addr`, to 0.0.0.0 or ::, or to 127.0.0.1 for local use only. For port exhaustion, reuse connections (keep-alive, pooling), count TIME_WAIT with `ss -s`, and see the range in /proc/sys/net/ipv4/ip_local_port_range.',
  ),
  row(
    'EISCONN',
    106,
    'Socket is already connected',
    'connect() was called on a socket that is already connected, usually by a retry loop that calls connect() again on the same socket, or after a non-blocking connect had already completed.',
    'Call connect() once per socket. To retry after a failure, close the socket and create a new one; after EINPROGRESS, wait for writability and read SO_ERROR instead of calling connect() again.',
  ),
  row(
    'EINPROGRESS',
    115,
    'Operation now in progress',
    'A non-blocking connect() started the handshake and returned before it finished. This is the normal result, not a failure.',
    'Wait until the socket is writable (poll, epoll, select), with a timeout, then read SO_ERROR with getsockopt to learn whether the connect succeeded. Do not call connect() again: you would get EALREADY or EISCONN.',
  ),
  row(
    'EALREADY',
    114,
    'Operation already in progress',
    'connect() was called again on a non-blocking socket whose first connect is still in progress.',
    'Call connect() once, then wait for writability and check SO_ERROR; to retry after a failure use a new socket.',
  ),
  // Established connections
  row(
    'ECONNRESET',
    104,
    'Connection reset by peer',
    'The peer sent an RST: it closed its socket while unread data was still in its receive buffer, closed with SO_LINGER set to 0, crashed, or a proxy, load balancer or NAT dropped the connection (often an idle one). Writing to a connection the peer has already closed also draws an RST, which surfaces on your next read or write.',
    'Make the peer read everything before it closes, or half-close with shutdown(SHUT_WR) and wait for EOF before close(); treat a reset as an end of the connection and reconnect if the protocol allows. If the peer is one of these rows, a nonzero Recv-Q just before it closed explains the RST.',
  ),
  row(
    'EPIPE',
    32,
    'Broken pipe',
    'You wrote to a socket whose write side is gone: the peer closed the connection (and usually reset it), or you already called shutdown(SHUT_WR) yourself. In C the write also raises SIGPIPE, which kills a process that does not handle it.',
    'Stop writing once the peer has closed (a read returning 0 bytes is the cue) and treat the error as the end of the connection. In C, pass MSG_NOSIGNAL to send() (SO_NOSIGPIPE on macOS) or ignore SIGPIPE, so you get EPIPE instead of a dead process.',
  ),
  row(
    'ECONNABORTED',
    103,
    'Software caused connection abort',
    "This host's own stack aborted the connection, not the peer: a client reset its connection while it waited in the server's accept queue (BSD and macOS report that from accept(); Linux mostly skips such connections), or a local timeout or protocol error ended it.",
    'On accept(), treat it as transient: log it and keep accepting, never stop the listener over it. On established connections, look for keepalive or idle timeouts on this host or on a middlebox.',
  ),
  row(
    'ENETRESET',
    102,
    'Connection reset by network',
    'The connection was broken because the network failed while it was in use. It is rare on Linux TCP, where a failed keepalive shows up as ETIMEDOUT.',
    'Treat it as a lost connection: close, reconnect with backoff, and resend only what the protocol can safely repeat.',
  ),
  row(
    'ENOTCONN',
    107,
    'Socket is not connected',
    'You sent, received, or called shutdown() or getpeername() on a socket without a connection: connect() was never called or has not finished, the connection already failed, or you are using the listening socket instead of the socket accept() returned.',
    "Wait for connect to complete before doing I/O (in Node the 'connect' event; in C, writability then SO_ERROR), and read and write only on the accepted socket. Sending without connecting needs sendto() with an address, which only datagram sockets allow.",
  ),
  row(
    'ESHUTDOWN',
    108,
    'Cannot send after shutdown',
    'You wrote after shutting down the write side of the socket with shutdown(SHUT_WR) or SHUT_RDWR; for TCP, Linux usually reports this case as EPIPE.',
    "After a half-close you may only read: send everything first, call shutdown(SHUT_WR), then read until the peer's EOF and close. A row in `half-closed-local` can no longer send for this reason.",
  ),
  row(
    'EAGAIN',
    11,
    'Resource temporarily unavailable (would block)',
    'A non-blocking socket had nothing to read, or its send buffer was full, so the call returned at once instead of waiting; a receive or send timeout (SO_RCVTIMEO, SO_SNDTIMEO) expiring gives the same code. The connection is fine; the bugs are treating this as fatal, or assuming one send() wrote every byte.',
    "Wait for readiness (poll, epoll, select) and retry, and loop until every byte is written, keeping the unsent tail (what Python's sendall does for you). Node buffers instead of returning EAGAIN: a growing `queuedBytes` on a row means the peer is not reading, and its Recv-Q fills up.",
  ),
  row(
    'EMSGSIZE',
    90,
    'Message too long',
    "A datagram was larger than the socket or path allows: more than 65507 bytes for UDP over IPv4, or more than the path MTU with the don't-fragment bit set. A TCP stream never returns it.",
    'Keep datagrams small (about 1200 bytes is safe across the internet) or split messages yourself. Over TCP any size works, but one send may write only part of it.',
  ),
  row(
    'EINTR',
    4,
    'Interrupted system call',
    'A signal arrived while a blocking call (accept, connect, recv, send, poll) was waiting, so it returned early; timers (SIGALRM) and debuggers are common sources.',
    'Retry the call, or install handlers with SA_RESTART. For connect() do not call it again: the handshake continues, so wait for writability and check SO_ERROR.',
  ),
  // Binding and listening
  row(
    'EADDRINUSE',
    98,
    'Address already in use',
    'Another socket is already bound to this address and port: a second copy of the server, an earlier run that is still alive, or a server restarted while its old connections sit in TIME_WAIT. A wildcard bind (0.0.0.0:P) also conflicts with 127.0.0.1:P, and a client bound to a fixed local port hits this while its previous connection is in TIME_WAIT.',
    "Find the owner with `ss -ltnp 'sport = :PORT'` and stop it, or bind port 0 and let the kernel choose. Set SO_REUSEADDR before bind() on servers (Node does this) so TIME_WAIT leftovers do not block a restart; it does not let two live listeners share a port.",
  ),
  row(
    'EACCES',
    13,
    'Permission denied',
    'Binding a port below 1024 needs root or CAP_NET_BIND_SERVICE (unless net.ipv4.ip_unprivileged_port_start is lowered). It also comes from SELinux or AppArmor policy and from sending to a broadcast address without SO_BROADCAST.',
    'Use a port of 1024 or above in development and put a reverse proxy or port forward in front, or grant the binary `setcap cap_net_bind_service=+ep`. Do not run the whole server as root just to get port 80.',
  ),
  row(
    'EPERM',
    1,
    'Operation not permitted',
    'The kernel refused the operation by policy: on connect or send, a local firewall rule (an OUTPUT DROP in nftables or iptables) or a seccomp or cgroup filter blocked the packet; some socket options and raw sockets need privileges.',
    'Check the local firewall (`nft list ruleset`, `iptables -S OUTPUT`) and the sandbox or container policy. The refusal is local, so the remote host never saw the attempt.',
  ),
  row(
    'EINVAL',
    22,
    'Invalid argument',
    "A socket call got an argument that does not fit the socket's state or type: bind() on a socket that is already bound, listen() on a connected socket, accept() on a socket that never called listen(), a wrong address length, or a bad setsockopt value.",
    'Check the order of calls (socket, bind, listen, accept for a server; socket, connect for a client) and use each socket for one role only. The syscall in the fault tells you which call was wrong.',
  ),
  row(
    'EAFNOSUPPORT',
    97,
    'Address family not supported',
    "The address does not match the socket's family, or the family is disabled: an IPv4 address given to a socket created for IPv6 (or the reverse), or IPv6 on a host where it is turned off.",
    'Create the socket with the family of the address you got from getaddrinfo, or set family 4 explicitly; check `sysctl net.ipv6.conf.all.disable_ipv6`.',
  ),
  row(
    'EPROTONOSUPPORT',
    93,
    'Protocol not supported',
    'socket() was asked for a protocol the kernel does not offer for that family and type, such as a wrong protocol number with SOCK_STREAM or SCTP without its kernel module.',
    'Pass protocol 0 (the default for the type) or IPPROTO_TCP with SOCK_STREAM.',
  ),
  row(
    'EPROTO',
    71,
    'Protocol error',
    'A protocol error below your code. With Node it usually comes from TLS: speaking TLS to a plain TCP port (or plain text to a TLS port), or no TLS version in common.',
    'Check that both ends speak the same protocol on that port (TLS or plain, HTTP or raw). The first bytes in the data tail show what the peer actually sent.',
  ),
  // Resources
  row(
    'EMFILE',
    24,
    'Too many open files',
    'This process reached its file-descriptor limit (`ulimit -n`); every socket, listener, file and pipe uses one. It is usually a leak (sockets not closed on error or timeout paths), not real load.',
    'Close sockets on every path, errors and timeouts included, and count them with `ls /proc/PID/fd | wc -l`. Raise the limit (ulimit -n, LimitNOFILE) only after ruling out a leak; a server that gets EMFILE from accept() should pause briefly instead of spinning.',
  ),
  row(
    'ENFILE',
    23,
    'Too many open files in system',
    'The whole system reached its open-file limit (fs.file-max), not just this process: usually some process is leaking descriptors.',
    'Compare /proc/sys/fs/file-nr with file-max and find the process holding the most descriptors; raise fs.file-max only if the load is legitimate.',
  ),
  row(
    'ENOBUFS',
    105,
    'No buffer space available',
    'The kernel could not allocate memory for socket buffers or an interface queue was full, under memory pressure, heavy connection churn, or the tcp_mem limits.',
    'Check `ss -s` and /proc/net/sockstat for socket counts and memory, close idle connections, and retry after a delay rather than in a tight loop.',
  ),
  row(
    'EBADF',
    9,
    'Bad file descriptor',
    'The descriptor was already closed (or never valid) when you used it: a double close, or use after close from another thread or callback.',
    'Set the variable to -1 or null right after close() and make one owner responsible for closing. A double close can close an unrelated socket that has reused the number, so fix it even if it looks harmless.',
  ),
  // Name resolution (getaddrinfo: no errno)
  row(
    'ENOTFOUND',
    null,
    'Host name not found',
    'DNS (getaddrinfo) returned no address for the name: a typo, a name that exists only on another network or in a container\'s /etc/hosts, or a URL or "host:port" passed where a bare host name was expected. Node reports both EAI_NONAME and EAI_NODATA as ENOTFOUND.',
    'Pass the host name and the port separately and check the name on this machine with `getent hosts NAME`. Use an IP literal such as 127.0.0.1 to take DNS out of the picture while testing.',
  ),
  row(
    'EAI_AGAIN',
    null,
    'Temporary DNS failure',
    'The resolver could not get an answer right now: the DNS server timed out or is unreachable, the network is down, or /etc/resolv.conf points at a server that does not answer (common in containers and CI sandboxes).',
    'Retry after a delay; if it persists, check /etc/resolv.conf and `getent hosts NAME`. Dialing the IP literal tells a DNS problem apart from a connection problem.',
  ),
  // Node's own codes
  row(
    'ERR_STREAM_WRITE_AFTER_END',
    null,
    'Write after end',
    "Node code called socket.write() after socket.end(), or after the socket ended because the peer sent FIN and allowHalfOpen was false (Node's default).",
    'Do all writes before end(), and check `socket.writable` when the peer may have closed first. sockscope sockets use allowHalfOpen, so a peer FIN leaves a row `half-closed-remote` and still writable.',
  ),
  row(
    'ERR_STREAM_DESTROYED',
    null,
    'Stream destroyed',
    'A write or other call on a Node socket after destroy(), or after an earlier error (ECONNRESET, EPIPE...) already tore it down.',
    "Find and handle the first error on that socket, and stop writing once 'close' has fired (`socket.destroyed` is true).",
  ),
  row(
    'ERR_SOCKET_CLOSED',
    null,
    'Socket is closed',
    "An operation on a Node socket that has no live handle: a write on a socket that was never connected, or one after 'close'.",
    "Write only to a socket made by net.connect() (it queues writes until connected) and never after 'close'; Node sockets are not reusable, so open a new one for a new connection.",
  ),
  row(
    'ERR_SOCKET_CONNECTION_TIMEOUT',
    null,
    'Connection attempts timed out',
    "With autoSelectFamily (Node 20's default for names), none of the addresses the name resolved to, IPv6 or IPv4, accepted the connection within the allowed time.",
    'Check which addresses the name resolves to and whether each is reachable; dial the working address directly or set family 4 or 6.',
  ),
  row(
    'SELF_CONNECT',
    null,
    "Refused: sockscope's own port",
    "The target port is the one sockscope's own HTTP server listens on; sockscope refuses to connect there so that nothing can drive its API through a raw socket.",
    'Pick another port. To poke at an HTTP server, run your own and point sockscope at it.',
  ),
  row(
    'TARGET_DENIED',
    null,
    'Refused: target address denied',
    "The address (or one the host name resolved to) is in a range sockscope's target rules refuse: by default link-local addresses and the cloud metadata endpoints (169.254.169.254 and its kin), where a machine's credentials answer; or a range given with --deny-target.",
    'If you mean to reach that address, start sockscope with --allow-target and the range the message names (a --deny-target rule always wins). GET /api/info lists the rules in force.',
  ),
];

export const ERRNO_TABLE: Readonly<Record<string, ErrnoInfo>> = Object.freeze(
  Object.fromEntries(ROWS.map((r) => [r.code, Object.freeze(r)])),
);

export function errnoInfo(code: string): ErrnoInfo | null {
  return Object.hasOwn(ERRNO_TABLE, code) ? ERRNO_TABLE[code]! : null;
}

export function explain(code: string): Explanation | null {
  const info = errnoInfo(code);
  return info ? { title: info.title, cause: info.cause, fix: info.fix } : null;
}
