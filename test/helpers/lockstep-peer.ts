// A Python client that writes one byte at a time to an echoing server and waits for each echo before the next write:
// with a single byte ever in flight, every read the server makes is exactly one byte, however fast either side runs
// (a peer that just writes 1-byte writes is read in merged chunks of tens of bytes).
import { spawn } from 'node:child_process';

const SCRIPT = `
import socket, sys
port, rounds, conns = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
socks = [socket.create_connection(('127.0.0.1', port)) for _ in range(conns)]
for s in socks:
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for _ in range(rounds):
    for s in socks:
        s.send(b'x')
    for s in socks:
        if s.recv(1) != b'x':
            sys.exit('the echo did not come back')
for s in socks:
    s.shutdown(socket.SHUT_WR)
`;

/** `connections` clients of 127.0.0.1:`port` writing `rounds` single bytes each in lockstep with the echo, then FIN. */
export function lockstepWrites(port: number, rounds: number, connections: number): Promise<void> {
  const child = spawn('python3', ['-c', SCRIPT, String(port), String(rounds), String(connections)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lockstep peer exited ${code}: ${err}`))));
  });
}
