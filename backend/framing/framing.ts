// Framing as a feature: a rule plugged into a connection decodes each captured chunk into messages (both directions);
// a listener's rule is plugged into each connection it accepts. The core knows none of it (backend/inspector/plugs.ts).
import {
  isTerminal,
  type ConnectionRow,
  type DecodedMessage,
  type Direction,
  type FramingRule,
  type ListenerRow,
  type MessagesReply,
} from '../../shared';
import { PlugSlot, type ListenerPlug, type SocketPlug } from '../inspector/plugs';
import type { TrackedListener } from '../inspector/tracked-listener';
import type { TrackedSocket } from '../inspector/tracked-socket';
import { ConnectionFraming, type FramingLimits } from './connection-framing';

/** On one connection: the decoders of both directions. */
export class FramingPlug implements SocketPlug {
  /** The messages the latest read completed: what responders answer (backend/responders/). */
  lastIn: readonly DecodedMessage[] = [];

  constructor(readonly framing: ConnectionFraming) {}

  // Recycled bytes or not, the decoder copies what it keeps of them.
  chunk(direction: Direction, bytes: Buffer, index: number): void {
    const done = this.framing[direction].push(bytes, index);
    if (direction === 'in') this.lastIn = done;
  }

  ended(): void {
    this.framing.freeze();
  }

  forgotten(): void {
    this.framing.forget();
  }

  describe(row: ConnectionRow): void {
    row.framing = this.framing.rule;
    row.framingError = this.framing.error;
  }
}

/** On one listener: the rule its connections start with. */
class ListenerFramingPlug implements ListenerPlug<TrackedSocket> {
  constructor(
    readonly rule: FramingRule,
    private readonly framing: Framing,
  ) {}

  adopted(socket: TrackedSocket): void {
    this.framing.setConnection(socket, this.rule);
  }

  describe(row: ListenerRow): void {
    row.framing = this.rule;
  }
}

export const FRAMING = new PlugSlot<FramingPlug>('framing');
const LISTENER_FRAMING = new PlugSlot<ListenerFramingPlug>('framing');

/** The rule a connection decodes with, null without one. */
export function framingRuleOf(socket: TrackedSocket): FramingRule | null {
  return socket.plugged(FRAMING)?.framing.rule ?? null;
}

export class Framing {
  /** `limits()`: read at each rule set, so a connection decodes under the bounds of its time. */
  constructor(private readonly limits: () => FramingLimits) {}

  /**
   * Sets (or clears) the rule of both directions of a connection. Decoding starts over from the oldest byte still
   * captured; what eviction already dropped is skipped and counted.
   */
  setConnection(socket: TrackedSocket, rule: FramingRule | null): void {
    socket.plugged(FRAMING)?.framing.forget();
    const framing = rule && ConnectionFraming.start(rule, socket.capture, this.limits());
    if (framing && isTerminal(socket.state)) framing.freeze();
    socket.plug(FRAMING, framing && new FramingPlug(framing));
  }

  /** The rule given to connections this listener accepts from now on (existing ones keep theirs). */
  setListener(listener: TrackedListener, rule: FramingRule | null): void {
    listener.plug(LISTENER_FRAMING, rule && new ListenerFramingPlug(rule, this));
    listener.announceConfig('framing');
  }

  messages(socket: TrackedSocket, direction: Direction, since: number, limit: number): MessagesReply {
    const log = socket.plugged(FRAMING)?.framing[direction];
    if (log) return log.reply(socket.id, direction, since, limit);
    const empty = { messages: [], pending: null, error: null, skippedBytes: 0, droppedMessages: 0, lastIndex: 0 };
    return { id: socket.id, direction, framing: null, ...empty, more: false };
  }
}
