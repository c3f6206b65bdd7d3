// Rows, faults and a stubbed fetch for the form tests: fetch is the browser boundary the forms cross.
import { configure } from '@testing-library/react';
import { expect, vi } from 'vitest';
import { explain, type ApiError, type ConnectionRow, type Fault, type ListenerRow } from '../../shared';
import { connectionRow as baseConnection, listenerRow as baseListener } from '../helpers/rows';

// Replies are stubbed, but a busy 2-core machine running other suites can still take more than the default second.
configure({ asyncUtilTimeout: 5_000 });

export const listenerRow = (over: Partial<ListenerRow> = {}): ListenerRow =>
  baseListener({ local: { address: '127.0.0.1', port: 41234 }, ...over });

export const connectionRow = (over: Partial<ConnectionRow> = {}): ConnectionRow =>
  baseConnection({ target: { address: '127.0.0.1', port: 41234 }, ...over });

export const bindFault = (code: 'EADDRINUSE' | 'EADDRNOTAVAIL', errno: number): Fault => ({
  code,
  errno,
  syscall: 'listen',
  address: '127.0.0.1',
  port: 41234,
  message: `listen ${code}: address already in use 127.0.0.1:41234`,
  state: 'binding',
  at: 1_700_000_000_000_000,
  explanation: explain(code),
});

export const apiError = (error: ApiError['error']): ApiError => ({ error });

/** Stubs fetch with one reply; returns the mock so a test can read what was sent. */
export function stubFetch(status: number, body: unknown) {
  const mock = vi.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );
  vi.stubGlobal('fetch', mock);
  return mock;
}

/** The JSON body of the one request made, parsed back: numbers must still be numbers. */
export function sentBody(mock: ReturnType<typeof stubFetch>): unknown {
  expect(mock).toHaveBeenCalledTimes(1);
  const init = mock.mock.calls[0]![1];
  return JSON.parse(String(init?.body));
}

/** The alert a control points to with aria-describedby (the message shown next to that field). */
export function problemOf(control: HTMLElement): HTMLElement | null {
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  for (const id of ids) {
    const el = document.getElementById(id);
    if (el?.getAttribute('role') === 'alert') return el;
  }
  return null;
}
