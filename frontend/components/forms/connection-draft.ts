// The new-connection form as typed, and its check into an OpenConnectionBody (numbers as numbers).
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  OpenConnectionBodySchema,
  RETRY_DEFAULTS,
  RetrySchema,
  type OpenConnectionBody,
  type Retry,
} from '../../../shared';
import type { Checked } from './use-form';
import { decimalInput, hostInput, intInput, ipInput, type Parsed } from './validate';

export type Backoff = NonNullable<Retry['backoff']>;

export type ConnectionDraft = {
  host: string;
  port: string;
  timeoutMs: string;
  attempts: string;
  backoff: Backoff;
  initialDelayMs: string;
  maxDelayMs: string;
  jitter: string;
  localAddress: string;
  localPort: string;
  noDelay: boolean;
  keepAlive: boolean;
};

export const CONNECTION_DEFAULTS: ConnectionDraft = {
  host: '127.0.0.1',
  port: '',
  timeoutMs: String(DEFAULT_CONNECT_TIMEOUT_MS),
  attempts: '1',
  backoff: RETRY_DEFAULTS.backoff,
  initialDelayMs: String(RETRY_DEFAULTS.initialDelayMs),
  maxDelayMs: String(RETRY_DEFAULTS.maxDelayMs),
  jitter: String(RETRY_DEFAULTS.jitter),
  localAddress: '',
  localPort: '',
  noDelay: false,
  keepAlive: false,
};

export const RETRY_KEYS = ['attempts', 'backoff', 'initialDelayMs', 'maxDelayMs', 'jitter'] as const;
export const ADVANCED_KEYS = ['localAddress', 'localPort', 'noDelay', 'keepAlive'] as const;
export const CONNECTION_ORDER = ['host', 'port', 'timeoutMs', ...RETRY_KEYS, ...ADVANCED_KEYS] as const;

/** API field names (nested retry fields are dotted) to the form's keys. */
export const CONNECTION_SERVER_FIELDS: Readonly<Record<string, string>> = {
  host: 'host',
  port: 'port',
  timeoutMs: 'timeoutMs',
  localAddress: 'localAddress',
  localPort: 'localPort',
  noDelay: 'noDelay',
  keepAlive: 'keepAlive',
  retry: 'attempts',
  ...Object.fromEntries(RETRY_KEYS.map((k) => [`retry.${k}`, k])),
};

const BODY = OpenConnectionBodySchema.properties;
const RETRY = RetrySchema.properties;

export function checkConnection(d: ConnectionDraft): Checked<OpenConnectionBody> {
  const parsed = {
    host: hostInput(d.host, BODY.host),
    port: intInput(d.port, BODY.port, true),
    timeoutMs: intInput(d.timeoutMs, BODY.timeoutMs),
    attempts: intInput(d.attempts, RETRY.attempts),
    initialDelayMs: intInput(d.initialDelayMs, RETRY.initialDelayMs),
    maxDelayMs: intInput(d.maxDelayMs, RETRY.maxDelayMs),
    jitter: decimalInput(d.jitter, RETRY.jitter),
    localAddress: ipInput(d.localAddress, BODY.localAddress, false),
    localPort: intInput(d.localPort, BODY.localPort),
  } satisfies Record<string, Parsed<unknown>>;
  const errors: Record<string, string> = {};
  for (const [key, p] of Object.entries(parsed)) if (!p.ok) errors[key] = p.error;
  const { host, port, timeoutMs, attempts, initialDelayMs, maxDelayMs, jitter, localAddress, localPort } = parsed;
  if (!host.ok || !port.ok || !timeoutMs.ok || !attempts.ok || !initialDelayMs.ok || !maxDelayMs.ok || !jitter.ok)
    return { ok: false, errors };
  if (!localAddress.ok || !localPort.ok || port.value === undefined) return { ok: false, errors };

  const body: OpenConnectionBody = { host: host.value, port: port.value };
  if (timeoutMs.value !== undefined) body.timeoutMs = timeoutMs.value;
  if (localAddress.value !== undefined) body.localAddress = localAddress.value;
  if (localPort.value !== undefined) body.localPort = localPort.value;
  if (d.noDelay) body.noDelay = true;
  if (d.keepAlive) body.keepAlive = true;
  // One attempt is no retry at all: the policy's other fields would mean nothing.
  if (attempts.value !== undefined && attempts.value > 1) {
    const retry: Retry = { attempts: attempts.value, backoff: d.backoff };
    if (initialDelayMs.value !== undefined) retry.initialDelayMs = initialDelayMs.value;
    if (maxDelayMs.value !== undefined) retry.maxDelayMs = maxDelayMs.value;
    if (jitter.value !== undefined) retry.jitter = jitter.value;
    body.retry = retry;
  }
  return { ok: true, body };
}
