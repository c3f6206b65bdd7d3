// Decoded messages have a total cap over all connections (framingMessagesTotalBytes): real peers send lines to a
// delimiter listener and close, and what the closed rows keep stays within the cap, the oldest evicted first and
// counted in each Messages reply. (Before: each row kept up to its own per-direction allowance for as long as the row
// lived, and closed rows are kept up to maxClosedRows: 60 such peers held ~90 MB under a 4 MiB capture cap.)
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { MESSAGE_OVERHEAD_BYTES, MessagesReplySchema, type InspectorEvent, type MessagesReply } from '../../../shared';
import { useApp } from '../../helpers/app-fixture';

const checkMessages = Compile(MessagesReplySchema);
const KiB = 1024;
const MiB = 1 << 20;
const CAP = 2 * MiB;
const PEERS = 12;
const LINES = 8; // of 64 KiB each (the newline included): 512 KiB a peer, 6 MiB in all
type Closed = Extract<InspectorEvent, { type: 'socket/closed' }>;

const fx = useApp();

/** One peer: connects, writes its lines, sends FIN; resolves with its local port once the bytes are handed over. */
function peer(port: number, tag: number): Promise<number> {
  const line = Buffer.alloc(64 * KiB, 0x61 + (tag % 26));
  line[line.length - 1] = 0x0a;
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      for (let i = 0; i < LINES; i++) s.write(line);
      s.end(() => resolve(s.localPort!));
    });
    fx.sockets.push(s);
    s.once('error', reject);
  });
}

describe('decoded messages of all connections share one cap', () => {
  it(`${PEERS} peers send ${LINES} lines of 64 KiB and close: the rows keep at most framingMessagesTotalBytes, the oldest evicted first`, async () => {
    const app = await fx.start({ limits: { framingMessagesTotalBytes: CAP, captureTotalBytes: 4 * MiB } });
    const stream = await app.stream();
    const listener = await app.api('POST', '/api/listeners', { port: 0, closeOnPeerFin: true });
    const framing = { kind: 'delimiter', delimiter: '\\n' };
    expect((await app.api('PUT', `/api/listeners/${listener.json.id}/framing`, { framing })).status).toBe(200);

    // One after the other, so "oldest" is well defined: peer k's messages are all older than peer k+1's.
    const ids: string[] = [];
    for (let k = 0; k < PEERS; k++) {
      const port = await peer(listener.json.local.port as number, k);
      const closed = await stream.waitFor<Closed>(
        (f) => f.type === 'socket/closed' && f.connection.remote?.port === port,
        10_000,
      );
      ids.push(closed.id);
    }

    let held = 0;
    let evicted = 0;
    const keptPerRow: number[] = [];
    for (const id of ids) {
      const r = await app.api('GET', `/api/connections/${id}/messages?direction=in&limit=1000`);
      expect(checkMessages.Check(r.json)).toBe(true);
      const m = r.json as MessagesReply;
      expect(m.error).toBeNull();
      expect(m.lastIndex).toBe(LINES);
      expect(m.messages.length + m.droppedMessages).toBe(LINES);
      expect(m.evictedMessages).toBe(m.droppedMessages); // each row alone is within its own bound
      held += m.messages.reduce((n, x) => n + x.length + MESSAGE_OVERHEAD_BYTES, 0);
      evicted += m.evictedMessages ?? 0;
      keptPerRow.push(m.messages.length);
    }
    expect(held).toBeLessThanOrEqual(CAP);
    // Filled up to the cap (about 31 of these messages), the rest evicted and counted.
    const one = 64 * KiB - 1 + MESSAGE_OVERHEAD_BYTES;
    expect(held).toBeGreaterThan(CAP - 2 * one);
    const keptTotal = keptPerRow.reduce((n, x) => n + x, 0);
    expect(evicted).toBe(PEERS * LINES - keptTotal);
    // Oldest first: the newest rows keep all of theirs, the oldest none, and no older row keeps more than a newer.
    expect(keptPerRow.slice(-3)).toEqual([LINES, LINES, LINES]);
    expect(keptPerRow[0]).toBe(0);
    expect(keptPerRow).toEqual([...keptPerRow].sort((x, y) => x - y));
  });
});
