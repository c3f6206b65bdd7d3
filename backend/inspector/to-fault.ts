// Node error objects -> Fault. The only module that reads them.
import os from 'node:os';
import { explain, type Fault } from '../../shared';
import { nowMicros } from './clock';

interface NodeErrorLike {
  code?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** Where the error happened, for errors that do not say (our timer, AggregateError). */
export interface FaultContext {
  syscall?: string;
  address?: string;
  port?: number;
}

const str = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : null);
const int = (x: unknown): number | null => (typeof x === 'number' && Number.isInteger(x) ? x : null);

export function errnoOf(code: string): number | null {
  const n = (os.constants.errno as Record<string, number | undefined>)[code];
  return typeof n === 'number' && n > 0 ? n : null;
}

export function makeFault(code: string, message: string, state: string, where: FaultContext = {}): Fault {
  return {
    code,
    errno: errnoOf(code),
    syscall: where.syscall ?? null,
    address: where.address ?? null,
    port: where.port ?? null,
    message,
    state,
    at: nowMicros(),
    explanation: explain(code),
  };
}

// With autoSelectFamily (on by default in Node 20) a connect that fails on every address is an
// AggregateError: the details live in its inner errors; the first is the one Node names in `code`.
function innerErrors(err: NodeErrorLike): NodeErrorLike[] {
  if (!Array.isArray(err.errors)) return [];
  return err.errors.filter((e): e is NodeErrorLike => typeof e === 'object' && e !== null);
}

export function toFault(err: unknown, state: string, where: FaultContext = {}): Fault {
  if (typeof err !== 'object' || err === null) return makeFault('UNKNOWN', String(err), state, where);
  const e = err as NodeErrorLike;
  const inner = innerErrors(e);
  const primary = inner[0] ?? e;
  const code = str(e.code) ?? str(primary.code) ?? 'UNKNOWN';
  const messages = (inner.length > 0 ? inner : [e]).map((x) => str(x.message)).filter((m) => m !== null);
  return makeFault(code, messages.join('; ') || code, state, {
    syscall: str(primary.syscall) ?? where.syscall,
    address: str(primary.address) ?? where.address,
    port: int(primary.port) ?? where.port,
  });
}

/** Our own connect timer expired: reported like the kernel's ETIMEDOUT. */
export function connectTimeoutFault(host: string, port: number, timeoutMs: number, state: string): Fault {
  return makeFault('ETIMEDOUT', `connect ETIMEDOUT ${host}:${port} (no answer within ${timeoutMs} ms)`, state, {
    syscall: 'connect',
    address: host,
    port,
  });
}
