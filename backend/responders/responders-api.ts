// Responders' own API (REST and scenarios call it): rule sets on connections and listeners, and their counters.
import type { RespondersBody, RespondersReply } from '../../shared';
import type { InspectorApi } from '../inspector/api';
import { checkResponders } from '../inspector/validate';
import { ResponderSet } from './responder';
import { connectionResponders, listenerResponders, setConnectionResponders, setListenerResponders } from './responders';

export interface RespondersApi {
  /** Replaces a connection's responders; BAD_REQUEST naming the field (rules[1].match.regex) when a rule is bad. */
  setConnectionResponders(id: string, body: RespondersBody): RespondersReply;
  /** Responders given to connections this listener accepts from now on; hits count over all of them. */
  setListenerResponders(id: string, body: RespondersBody): RespondersReply;
  connectionResponders(id: string): RespondersReply;
  listenerResponders(id: string): RespondersReply;
}

const apis = new WeakMap<InspectorApi, RespondersApi>();

/** The responders API of this inspector. */
export function respondersOf(inspector: InspectorApi): RespondersApi {
  let api = apis.get(inspector);
  if (!api) apis.set(inspector, (api = createRespondersApi(inspector)));
  return api;
}

function createRespondersApi(inspector: InspectorApi): RespondersApi {
  return {
    setConnectionResponders(id, body) {
      const t = inspector.connection(id);
      const set = new ResponderSet(checkResponders(body));
      setConnectionResponders(t, set.active ? set : null);
      t.announceConfig('responders');
      return connectionResponders(t);
    },
    setListenerResponders(id, body) {
      const listener = inspector.listener(id);
      const set = new ResponderSet(checkResponders(body));
      setListenerResponders(listener, set.active ? set : null);
      return listenerResponders(listener);
    },
    connectionResponders: (id) => connectionResponders(inspector.connection(id)),
    listenerResponders: (id) => listenerResponders(inspector.listener(id)),
  };
}
