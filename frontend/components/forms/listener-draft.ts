// The new-listener form as typed, and its check into an OpenListenerBody (numbers as numbers).
import {
  OPEN_LISTENER_DEFAULTS,
  OpenListenerBodySchema,
  type AcceptMode,
  type OpenListenerBody,
} from '../../../shared';
import type { Checked } from './use-form';
import { intInput, ipInput } from './validate';

export type ListenerDraft = {
  host: string;
  port: string;
  backlog: string;
  accept: AcceptMode;
  closeOnPeerFin: boolean;
};

export const LISTENER_DEFAULTS: ListenerDraft = {
  host: OPEN_LISTENER_DEFAULTS.host,
  port: '0',
  backlog: String(OPEN_LISTENER_DEFAULTS.backlog),
  accept: OPEN_LISTENER_DEFAULTS.accept,
  closeOnPeerFin: OPEN_LISTENER_DEFAULTS.closeOnPeerFin,
};
export const LISTENER_ORDER = ['host', 'port', 'backlog', 'accept', 'closeOnPeerFin'] as const;
/** The API names its fields like the form does. */
export const LISTENER_SERVER_FIELDS = {
  host: 'host',
  port: 'port',
  backlog: 'backlog',
  accept: 'accept',
  closeOnPeerFin: 'closeOnPeerFin',
} as const;

/** Why one would tick "Close on peer FIN": what happens to accepted connections either way. */
export const CLOSE_ON_FIN_HINT =
  "close accepted connections when the peer sends FIN, as servers do on recv() == b''; unticked they stay half-open in CLOSE_WAIT until you close them";

export const ACCEPT_HINTS: Readonly<Record<AcceptMode, string>> = {
  read: 'accept and read everything that arrives',
  hold: 'accept but never read: bytes pile up in Recv-Q, then the sender stalls',
  echo: 'accept and write back every read',
  never: 'listen but never accept: the backlog fills, then connects time out',
};

export function checkListener(d: ListenerDraft): Checked<OpenListenerBody> {
  const errors: Record<string, string> = {};
  const fields = OpenListenerBodySchema.properties;
  const host = ipInput(d.host, fields.host, false);
  const port = intInput(d.port, fields.port, true);
  const backlog = intInput(d.backlog, fields.backlog);
  if (!host.ok) errors['host'] = host.error;
  if (!port.ok) errors['port'] = port.error;
  if (!backlog.ok) errors['backlog'] = backlog.error;
  if (!host.ok || !port.ok || !backlog.ok || port.value === undefined) return { ok: false, errors };
  const body: OpenListenerBody = { port: port.value, accept: d.accept };
  if (d.closeOnPeerFin) body.closeOnPeerFin = true;
  if (host.value !== undefined) body.host = host.value;
  if (backlog.value !== undefined) body.backlog = backlog.value;
  return { ok: true, body };
}
