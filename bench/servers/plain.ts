// The baselines: what a plain Node `net` program does with the same traffic, nothing recorded.
//   sink   read and count; on the peer's FIN answer with the count (8 bytes) and close
//   close  close when the peer closes (a connect/close cycle)
//   hold   accept and keep every connection, idle
import net from 'node:net';

const mode = process.argv[2] ?? 'sink';
let received = 0;
let held = 0;

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  socket.on('error', () => {});
  if (mode === 'sink') {
    let mine = 0;
    socket.on('data', (d: Buffer) => {
      mine += d.length;
      received += d.length;
    });
    socket.on('end', () => {
      const count = Buffer.alloc(8);
      count.writeBigUInt64BE(BigInt(mine));
      socket.end(count);
    });
  } else if (mode === 'close') {
    socket.on('end', () => socket.end());
  } else {
    held++;
    socket.on('close', () => held--);
  }
});

server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  process.stdout.write(`port ${(server.address() as net.AddressInfo).port}\n`);
});

process.on('message', (msg: { id: number; question: string }) => {
  const answer = msg.question === 'received' ? received : msg.question === 'held' ? held : null;
  process.send!({ id: msg.id, answer });
});
process.on('SIGTERM', () => process.exit(0));
