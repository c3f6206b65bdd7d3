// Framing's own API (REST and scenarios call it): rules on connections and listeners, the framed messages. One per
// inspector, made on first use; the unfinished frames of all its connections share one budget, their messages one cap.
import {
  DEFAULT_PAGE_LIMIT,
  PendingPool,
  type ConnectionRow,
  type FramingRule,
  type ListenerRow,
  type MessagesQuery,
  type MessagesReply,
} from '../../shared';
import type { InspectorApi } from '../inspector/api';
import { checkFraming } from '../inspector/validate';
import { Framing } from './framing';
import { MessageStore } from './message-store';

export interface FramingApi {
  /** Sets or clears a connection's framing rule; decoding restarts from the oldest captured byte. BAD_REQUEST for a bad rule. */
  setConnectionFraming(id: string, framing: FramingRule | null): ConnectionRow;
  /** The rule given to connections this listener accepts from now on (existing ones keep theirs). */
  setListenerFraming(id: string, framing: FramingRule | null): ListenerRow;
  /** Framed messages of one direction (decoded as chunks arrive), the pending tail and any framing error. */
  messages(id: string, query: MessagesQuery): MessagesReply;
}

const apis = new WeakMap<InspectorApi, FramingApi>();

/** The framing API of this inspector. */
export function framingOf(inspector: InspectorApi): FramingApi {
  let api = apis.get(inspector);
  if (!api) apis.set(inspector, (api = createFramingApi(inspector)));
  return api;
}

function createFramingApi(inspector: InspectorApi): FramingApi {
  const { limits } = inspector;
  const pendingTotal = new PendingPool(
    limits.framingPendingTotalBytes,
    'unfinished frames of all connections',
    'framingPendingTotalBytes',
  );
  const messagesTotal = new MessageStore(limits.framingMessagesTotalBytes);
  // Messages kept per direction: as much as the capture keeps of a connection, framingMessagesTotalBytes in all.
  // Unfinished frames: at most framingPendingPerConnectionBytes per connection (also the largest frame),
  // framingPendingTotalBytes in all.
  const framing = new Framing(() => ({
    maxBytes: Math.max(limits.capturePerConnectionBytes, 64 * 1024),
    pendingPerConnectionBytes: limits.framingPendingPerConnectionBytes,
    pendingTotal,
    messagesTotal,
  }));
  return {
    setConnectionFraming(id, rule) {
      const checked = checkFraming(rule);
      const t = inspector.connection(id);
      framing.setConnection(t, checked);
      t.announceConfig('framing');
      return t.snapshot();
    },
    setListenerFraming(id, rule) {
      const checked = checkFraming(rule);
      const listener = inspector.listener(id);
      framing.setListener(listener, checked);
      return listener.snapshot();
    },
    messages(id, query) {
      const t = inspector.connection(id);
      return framing.messages(t, query.direction ?? 'in', query.since ?? 0, query.limit ?? DEFAULT_PAGE_LIMIT);
    },
  };
}
