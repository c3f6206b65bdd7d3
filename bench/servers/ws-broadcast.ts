// B4's baseline: a raw `ws` server that broadcasts the very frames sockscope sent, as fast as ws can, to every client.
import { readFileSync } from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';

const frames = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as string[];
const expected = Number(process.argv[3]);
const clients: WebSocket[] = [];
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => {
  process.stdout.write(`port ${(wss.address() as { port: number }).port}\n`);
});
wss.on('connection', (ws) => {
  clients.push(ws);
  ws.send('"hello"');
  if (clients.length === expected) setTimeout(broadcast, 200);
});

async function broadcast(): Promise<void> {
  for (let i = 0; i < frames.length; i++) {
    for (const c of clients) c.send(frames[i]!);
    // Yield now and then, as a server with other work would; without it ws buffers everything first.
    if (i % 64 === 63) await new Promise((r) => setImmediate(r));
  }
  for (const c of clients) c.send('"end"');
}
process.on('SIGTERM', () => process.exit(0));
