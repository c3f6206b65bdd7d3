// The timeline's words for a settings change: what the REST call changed, as it now is (the capture head too).
import { describe, expect, it } from 'vitest';
import { configNote } from '../../frontend/state/config-text';
import type { EventOf } from '../../shared';

const base = { seq: 1, at: 1, framing: null, responders: { mode: 'off', rules: 0 }, closeOnPeerFin: false } as const;

describe('configNote', () => {
  it("a connection's options name the capture head with the socket options", () => {
    const e: EventOf<'socket/config'> = {
      ...base,
      type: 'socket/config',
      id: 'c-1',
      changed: 'options',
      noDelay: true,
      keepAlive: false,
      captureHeadBytes: 4 << 20,
    };
    expect(configNote(e)).toBe('options: noDelay on, keepAlive off, capture head 4.0 MiB');
  });

  it("a listener's options say the head its next connections keep, or that they keep the default", () => {
    const e: EventOf<'listener/config'> = {
      ...base,
      type: 'listener/config',
      id: 'l-1',
      changed: 'options',
      captureHeadBytes: 1024,
    };
    expect(configNote(e)).toBe('options for connections accepted from now on: capture head 1024 B');
    expect(configNote({ ...e, captureHeadBytes: null })).toBe(
      'options for connections accepted from now on: capture head default',
    );
  });
});
