import { describe, expect, it } from 'vitest';
import { MessageLog } from '../../../backend/framing/message-log';
import { MESSAGE_OVERHEAD_BYTES } from '../../../shared';

const NL = { kind: 'delimiter', delimiter: '\\n' } as const;
const b = (s: string) => new TextEncoder().encode(s);

describe('MessageLog', () => {
  it('keeps the newest messages within the count and byte bounds, counting the dropped', () => {
    const log = new MessageLog(NL, { startOffset: 0, skippedBytes: 0, maxBytes: 1 << 20, maxMessages: 3 });
    log.push(b('a\nb\nc\n'), 1);
    log.push(b('d\ne\nf'), 2);
    const r = log.reply('c-1', 'in', 0, 10);
    expect(r.messages.map((m) => m.index)).toEqual([3, 4, 5]);
    expect(r).toMatchObject({ droppedMessages: 2, lastIndex: 5, pending: { start: 10, length: 1, reads: [2] } });
    expect(log.reply('c-1', 'in', 3, 1)).toMatchObject({ messages: [{ index: 4, reads: [2] }], more: true });

    // Each message counts its heap overhead too: room for the 5-byte message, not for both.
    const small = new MessageLog(NL, { startOffset: 0, skippedBytes: 0, maxBytes: 7 + 2 * MESSAGE_OVERHEAD_BYTES });
    small.push(b('xyz\n12345\n'), 1);
    expect(small.reply('c-1', 'in', 0, 10)).toMatchObject({ droppedMessages: 1, messages: [{ index: 2, length: 5 }] });
    const tiny = new MessageLog(NL, { startOffset: 0, skippedBytes: 0, maxBytes: 10 * MESSAGE_OVERHEAD_BYTES });
    tiny.push(b('a\n'.repeat(100)), 1);
    expect(tiny.reply('c-1', 'in', 0, 1000)).toMatchObject({ droppedMessages: 91, lastIndex: 100 });
  });
});
