// Where a failed request's error belongs in a form: next to the field it concerns, or beside the submit button.
import type { Fault } from '../../../shared';
import { SockscopeError } from '../../api/client';

/** What a form shows for one problem: a message and, for socket faults, the errno with its explanation. */
export interface FieldProblem {
  message: string;
  fault?: Fault;
}

/** `field` is one of the form's own field keys, or null for the form as a whole. */
export interface PlacedError {
  field: string | null;
  problem: FieldProblem;
}

/** API field names (`retry.attempts`) to this form's field keys; unknown names land at form level. */
export type FieldMap = Readonly<Record<string, string>>;

const LIMIT_HINTS: Readonly<Record<string, string>> = {
  maxConnections: 'close some connections, or start sockscope with a higher limit',
  maxListeners: 'close a listener, or start sockscope with a higher limit',
};

/** EADDRNOTAVAIL is about the address; EADDRINUSE, EACCES and the rest are about the port. */
const faultField = (fault: Fault | null): string => (fault?.code === 'EADDRNOTAVAIL' ? 'host' : 'port');

export function placeServerError(e: unknown, fields: FieldMap): PlacedError {
  if (!(e instanceof SockscopeError)) {
    return { field: null, problem: { message: `Unexpected error: ${e instanceof Error ? e.message : String(e)}` } };
  }
  switch (e.code) {
    case 'NETWORK':
      return { field: null, problem: { message: 'No reply from sockscope: is it still running?' } };
    case 'BAD_REPLY':
      return { field: null, problem: { message: `The server's reply broke the contract (HTTP ${e.status})` } };
    case 'UNAUTHORIZED':
    case 'FORBIDDEN_HOST':
    case 'FORBIDDEN_ORIGIN':
      return { field: null, problem: { message: `${e.message}: open the token URL sockscope printed again` } };
    case 'BIND_FAILED': {
      const fault = e.fault;
      const field = fields[faultField(fault)] ?? null;
      const message = fault
        ? `${fault.code}${fault.errno === null ? '' : ` ${fault.errno}`}: ${fault.explanation?.title ?? fault.message}`
        : e.message;
      return { field, problem: fault ? { message, fault } : { message } };
    }
    case 'SELF_CONNECT':
      return { field: fields['port'] ?? null, problem: { message: `${e.message}` } };
    case 'LIMIT_REACHED': {
      const limit = e.limit ?? 'unknown';
      const hint = LIMIT_HINTS[limit] ?? 'raise it when starting sockscope';
      return { field: null, problem: { message: `Limit ${limit} reached: ${hint}` } };
    }
    default: {
      const named = e.field;
      const field = named === null ? null : (fields[named] ?? null);
      const prefix = named !== null && field === null ? `${named}: ` : '';
      return { field, problem: { message: `${prefix}${e.message}` } };
    }
  }
}
