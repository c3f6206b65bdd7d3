// Messages paging: since for each page, the range label and the links around a page, dropped messages included.
import { describe, expect, it } from 'vitest';
import type { MessagesReply } from '../../shared';
import { FIRST, pageLabel, pageLinks, sinceOf } from '../../frontend/state/message-paging';

const page = (from: number, to: number, over: Partial<MessagesReply> = {}): MessagesReply => ({
  id: 'c-1',
  direction: 'in',
  framing: { kind: 'delimiter', delimiter: '\\n' },
  messages: Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => ({
    index: from + i,
    start: 0,
    end: 0,
    payloadOffset: 0,
    reads: [1],
    length: 0,
    data: '',
  })),
  pending: null,
  error: null,
  skippedBytes: 0,
  droppedMessages: 0,
  lastIndex: to,
  more: false,
  ...over,
});

describe('message paging', () => {
  it('asks for the first, a given and the newest page', () => {
    expect(sinceOf(FIRST, 1000, 3412)).toBe(0);
    expect(sinceOf({ kind: 'after', since: 1000 }, 1000, 3412)).toBe(1000);
    expect(sinceOf({ kind: 'newest' }, 1000, 3412)).toBe(2412);
    expect(sinceOf({ kind: 'newest' }, 1000, 12)).toBe(0);
  });

  it('labels the range from the reply', () => {
    expect(pageLabel(page(1, 1000, { lastIndex: 3412, more: true }))).toBe('Messages 1–1,000 of 3,412');
    expect(pageLabel(page(7, 7))).toBe('Message 7 of 7');
    expect(pageLabel(page(1, 0, { lastIndex: 0 }))).toBe('No messages');
  });

  it('links to older and newer pages, never below the oldest kept', () => {
    expect(pageLinks(page(1, 1000, { lastIndex: 3412, more: true }), 1000)).toEqual({
      older: null,
      newer: { kind: 'after', since: 1000 },
      atFirst: true,
      atNewest: false,
    });
    expect(pageLinks(page(2413, 3412), 1000)).toEqual({
      older: { kind: 'after', since: 1412 },
      newer: null,
      atFirst: false,
      atNewest: true,
    });
    // 300 dropped: the page before 801–1800 is the first one kept (301–...).
    expect(pageLinks(page(801, 1800, { droppedMessages: 300, lastIndex: 2000, more: true }), 1000).older).toEqual(
      FIRST,
    );
    expect(pageLinks(page(301, 1300, { droppedMessages: 300, lastIndex: 2000, more: true }), 1000).atFirst).toBe(true);
  });
});
