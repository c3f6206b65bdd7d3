// Paging the Messages tab by `since`/`limit`: which page to ask for and "Messages 1–1,000 of 3,412" from the reply.
// Indexes count from 1 per direction without gaps; the oldest droppedMessages of them are no longer kept.
import type { MessagesReply } from '../../shared';

/** Where a direction's page starts: the oldest kept, after a given index, or the newest `limit`. */
export type PagePos = { kind: 'first' } | { kind: 'after'; since: number } | { kind: 'newest' };

export const FIRST: PagePos = { kind: 'first' };

/** The `since` to ask for; for the newest page, from the newest index known so far (the caller re-asks if it grew). */
export function sinceOf(pos: PagePos, limit: number, lastIndex: number): number {
  if (pos.kind === 'first') return 0;
  if (pos.kind === 'after') return pos.since;
  return Math.max(0, lastIndex - limit);
}

const n = (x: number) => x.toLocaleString('en-US');

/** "Messages 1–1,000 of 3,412", from the indexes the reply holds and its lastIndex. */
export function pageLabel(r: MessagesReply): string {
  const first = r.messages[0];
  const last = r.messages.at(-1);
  if (!first || !last) return r.lastIndex === 0 ? 'No messages' : `No messages on this page (${n(r.lastIndex)} in all)`;
  const range = first.index === last.index ? n(first.index) : `${n(first.index)}–${n(last.index)}`;
  return `Message${first === last ? '' : 's'} ${range} of ${n(r.lastIndex)}`;
}

export interface PageLinks {
  older: PagePos | null;
  newer: PagePos | null;
  /** Whether this page is the oldest kept / reaches the newest message. */
  atFirst: boolean;
  atNewest: boolean;
}

/** The pages around this one: older ends just before its first message, newer starts after its last. */
export function pageLinks(r: MessagesReply, limit: number): PageLinks {
  const first = r.messages[0]?.index;
  const last = r.messages.at(-1)?.index;
  const oldestKept = r.droppedMessages + 1;
  const atFirst = first === undefined ? r.lastIndex === 0 : first <= oldestKept;
  const atNewest = !r.more && (last === undefined || last === r.lastIndex);
  const olderSince = Math.max(0, (first ?? r.lastIndex + 1) - 1 - limit);
  return {
    older: atFirst ? null : olderSince <= r.droppedMessages ? FIRST : { kind: 'after', since: olderSince },
    newer: !r.more || last === undefined ? null : { kind: 'after', since: last },
    atFirst,
    atNewest,
  };
}
