// Per-test Inspector for the backend suites: a fresh one before each test, and after it the log is checked
// against the schemas, the inspector disposed and every peer the test opened closed.
import { afterEach, beforeEach } from 'vitest';
import type { InspectorEvent, Limits } from '../../shared';
import { Inspector } from '../../backend/inspector/inspector';
import { Teardown, assertLogValid, waitForEvent } from './loopback';

export interface InspectorFixture {
  readonly inspector: Inspector;
  readonly teardown: Teardown;
  /** The first logged event matching `pred` (the log is searched from seq 0, then live events). */
  until<E extends InspectorEvent>(pred: (e: InspectorEvent) => e is E, ms?: number): Promise<E>;
}

export function useInspector(defaultWaitMs = 3000): InspectorFixture {
  let current: Inspector | null = null;
  const teardown = new Teardown();
  const fx: InspectorFixture = {
    get inspector() {
      if (!current) throw new Error('useInspector: no inspector outside a test');
      return current;
    },
    teardown,
    until: (pred, ms = defaultWaitMs) => waitForEvent(fx.inspector, pred, ms, 0),
  };
  beforeEach(() => {
    current = new Inspector();
  });
  afterEach(async () => {
    const inspector = fx.inspector;
    current = null;
    assertLogValid(inspector);
    await inspector.dispose();
    await teardown.run();
  });
  return fx;
}

/** Inspectors with limits of the test's choosing, checked and disposed after each test as useInspector's is. */
export function useInspectors(): { make(limits?: Partial<Limits>): Inspector; readonly teardown: Teardown } {
  const teardown = new Teardown();
  const made: Inspector[] = [];
  afterEach(async () => {
    for (const i of made.splice(0)) {
      assertLogValid(i);
      await i.dispose();
    }
    await teardown.run();
  });
  return {
    teardown,
    make(limits = {}) {
      const i = new Inspector({ limits });
      made.push(i);
      return i;
    },
  };
}
