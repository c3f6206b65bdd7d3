// Decoded messages of all connections share one cap: past it the oldest messages of any connection go first, counted
// on their own log as evicted; a log let go (its row forgotten, its rule replaced) gives its share back at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { framingOf } from '../../../backend/framing/framing-api';
import { FRAMING } from '../../../backend/framing/framing';
import { MessageLog } from '../../../backend/framing/message-log';
import { MESSAGE_OVERHEAD_BYTES } from '../../../shared';
import { MessageStore } from '../../../backend/framing/message-store';
import { useInspectors } from '../../helpers/inspector-fixture';
import { dial, isState, isType, waitForEvent } from '../../helpers/loopback';

const NL = { kind: 'delimiter', delimiter: '\\n' } as const;
const lines = (...sizes: number[]) => new TextEncoder().encode(sizes.map((n) => `${'a'.repeat(n)}\n`).join(''));
/** What one message of n payload bytes from one read costs against the caps. */
const cost = (n: number) => n + MESSAGE_OVERHEAD_BYTES;
const logIn = (store: MessageStore, maxBytes = 1 << 20) =>
  new MessageLog(NL, { startOffset: 0, skippedBytes: 0, maxBytes, store });
const kept = (log: MessageLog) => log.reply('c-1', 'in', 0, 1000);
const inspectors = useInspectors();

describe('MessageStore', () => {
  it('past the cap, the oldest messages of any log go first, counted on their log as evicted', () => {
    const store = new MessageStore(3 * cost(100));
    const a = logIn(store);
    const b = logIn(store);
    a.push(lines(100, 100), 1);
    b.push(lines(100, 100), 1);
    expect(kept(a)).toMatchObject({ droppedMessages: 1, evictedMessages: 1, lastIndex: 2 });
    expect(kept(a).messages.map((m) => m.index)).toEqual([2]);
    expect(kept(b)).toMatchObject({ droppedMessages: 0, evictedMessages: 0 });
    expect(store.heldBytes).toBe(3 * cost(100));

    b.push(lines(100), 2);
    expect(kept(a)).toMatchObject({ messages: [], droppedMessages: 2, evictedMessages: 2 });
    expect(kept(b).messages.map((m) => m.index)).toEqual([1, 2, 3]);
  });

  it("a log's own bound drops without counting an eviction; the store counts only what is held", () => {
    const store = new MessageStore(100 * cost(10));
    const a = logIn(store, 2 * cost(10));
    a.push(lines(10, 10, 10), 1);
    expect(kept(a)).toMatchObject({ droppedMessages: 1, evictedMessages: 0 });
    expect(store.heldBytes).toBe(2 * cost(10));
  });

  it('a log forgotten gives its share back at once and keeps nothing more', () => {
    const store = new MessageStore(3 * cost(100));
    const a = logIn(store);
    const b = logIn(store);
    a.push(lines(100, 100), 1);
    b.push(lines(100), 1);
    a.forget();
    expect(store.heldBytes).toBe(cost(100));
    expect(kept(a).messages).toEqual([]);
    a.push(lines(100), 2);
    expect(store.heldBytes).toBe(cost(100));
    // b's next two fit: nothing of the forgotten log is counted any more.
    b.push(lines(100, 100), 2);
    expect(kept(b)).toMatchObject({ droppedMessages: 0, evictedMessages: 0, lastIndex: 3 });
  });

  it('held bytes always equal what the logs keep, within the cap (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ log: fc.nat(3), sizes: fc.array(fc.nat(300), { maxLength: 4 }), forget: fc.boolean() }), {
          maxLength: 60,
        }),
        (steps) => {
          const cap = 6 * cost(150);
          const store = new MessageStore(cap);
          const logs = [0, 1, 2, 3].map(() => logIn(store, 3 * cost(150)));
          steps.forEach(({ log, sizes, forget }, i) => {
            const l = logs[log]!;
            if (forget && i % 7 === 0) {
              l.forget();
              logs[log] = logIn(store, 3 * cost(150));
            } else if (sizes.length > 0) l.push(lines(...sizes), i + 1);
            const held = logs.reduce((n, x) => n + x.heldBytes, 0);
            expect(store.heldBytes).toBe(held);
            expect(held).toBeLessThanOrEqual(cap);
            for (const x of logs) {
              const r = kept(x);
              expect(r.messages.length + r.droppedMessages).toBe(r.lastIndex);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a closed row forgotten (maxClosedRows) lets go of its messages with its capture', async () => {
    const inspector = inspectors.make({ maxClosedRows: 0 });
    const listener = await inspector.listen({ port: 0, closeOnPeerFin: true });
    framingOf(inspector).setListenerFraming(listener.id, NL);
    const client = await dial(listener.local!.port);
    inspectors.teardown.defer(() => client.destroy());
    const opened = await waitForEvent(inspector, isType('socket/opened'), 3000, 0);
    const plug = inspector.connection(opened.id).plugged(FRAMING)!;
    client.end(lines(10, 10));
    await waitForEvent(inspector, isState(opened.id, 'closed'), 3000, 0);
    // The row is gone from the table (no closed row is kept), and its messages from the store's count.
    expect(() => inspector.connection(opened.id)).toThrow();
    expect(plug.framing.in.lastIndex).toBe(2);
    expect([plug.framing.in.heldBytes, kept(plug.framing.in).messages]).toEqual([0, []]);
  });
});
