// Responders as a feature: a rule set plugged into a connection answers its reads (or, with framing, its messages);
// a listener's set is plugged into each connection it accepts, its counters adding up over all of them.
import type { ConnectionRow, ListenerRow, RespondersReply, RespondersSummary, ThenAction } from '../../shared';
import { PlugSlot, type ListenerPlug, type SocketPlug } from '../inspector/plugs';
import type { TrackedListener } from '../inspector/tracked-listener';
import type { TrackedSocket } from '../inspector/tracked-socket';
import { FRAMING, framingRuleOf } from '../framing/framing';
import { ConnectionResponder, offView, type ResponderSet, type ResponderTarget } from './responder';
import { respondersSummary } from './responder-summary';

/** On one connection: the runner of its set. */
class ResponderPlug implements SocketPlug {
  /** A reply (an echo) may wait in Node's queue longer than the capture keeps the read. */
  readonly keepsReads = true;
  readonly runner: ConnectionResponder;
  private readonly summary: RespondersSummary;

  constructor(
    set: ResponderSet,
    private readonly socket: TrackedSocket,
  ) {
    this.runner = new ConnectionResponder(set, targetOf(socket));
    this.summary = respondersSummary(set);
  }

  read(bytes: Buffer): void {
    const framing = this.socket.plugged(FRAMING);
    this.runner.handle(
      framing ? framing.lastIn.map((m) => Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length)) : [bytes],
    );
  }

  ended(): void {
    this.runner.stop();
  }

  describe(row: ConnectionRow): void {
    row.responders = this.summary;
  }
}

function targetOf(socket: TrackedSocket): ResponderTarget {
  return {
    write: (bytes, flushed) => socket.tryWrite(bytes, flushed),
    then: (action: ThenAction): void => {
      try {
        if (action === 'half-close') socket.shutdown();
        else if (action === 'close') socket.close();
        else socket.reset();
      } catch {
        // Already closing or closed: the action has nothing left to do.
      }
    },
    framing: () => framingRuleOf(socket),
  };
}

/** On one listener: the set its connections get. */
class ListenerResponderPlug implements ListenerPlug<TrackedSocket> {
  private readonly summary: RespondersSummary;

  constructor(readonly set: ResponderSet) {
    this.summary = respondersSummary(set);
  }

  adopted(socket: TrackedSocket): void {
    setConnectionResponders(socket, this.set);
  }

  describe(row: ListenerRow): void {
    row.responders = this.summary;
  }
}

const RESPONDERS = new PlugSlot<ResponderPlug>('responders');
const LISTENER_RESPONDERS = new PlugSlot<ListenerResponderPlug>('responders');

/** Replaces a connection's responders (null or an inactive set: none). Timers of the old set's delayed replies are cancelled. */
export function setConnectionResponders(socket: TrackedSocket, set: ResponderSet | null): void {
  if (set !== null) socket.assertLive('set responders');
  socket.plugged(RESPONDERS)?.runner.stop();
  socket.plug(RESPONDERS, set && set.active ? new ResponderPlug(set, socket) : null);
}

export function connectionResponders(socket: TrackedSocket): RespondersReply {
  return socket.plugged(RESPONDERS)?.runner.set.view(socket.id) ?? offView(socket.id);
}

/** Given to connections this listener accepts from now on (null or an inactive set: none). */
export function setListenerResponders(listener: TrackedListener, set: ResponderSet | null): void {
  listener.plug(LISTENER_RESPONDERS, set && set.active ? new ListenerResponderPlug(set) : null);
  listener.announceConfig('responders');
}

export function listenerResponders(listener: TrackedListener): RespondersReply {
  return listener.plugged(LISTENER_RESPONDERS)?.set.view(listener.id) ?? offView(listener.id);
}
