// How a scenario run ends the sockets it opened, and what that cleanup reports. Its own file: shared/runs.ts needs
// it, and the scenario schema already imports runs.ts.
import { Type, type Static } from 'typebox';
import { ConnectionIdSchema } from '../ids';

/** How long a graceful cleanup waits for each peer to close after our FIN before releasing the socket anyway. */
export const GRACEFUL_CLOSE_MS = 1000;

const ModeSchema = Type.Union([Type.Literal('close'), Type.Literal('reset')]);
export type CleanupMode = Static<typeof ModeSchema>;
export const CLEANUP_MODES: readonly CleanupMode[] = ModeSchema.anyOf.map((s) => s.const);

const MODES_TEXT =
  `close (our FIN, then the peer's within ${GRACEFUL_CLOSE_MS} ms: the peer reads a clean EOF) or reset ` +
  '(RST at once: the peer gets ECONNRESET)';

/**
 * Where a run's cleanup is chosen: a request's override (no `default`, or the request would always override the
 * file), or the file's own with `default` (what runs without either).
 */
export const cleanupModeSchema = (defaultMode?: CleanupMode) =>
  Type.Union(
    ModeSchema.anyOf,
    defaultMode === undefined
      ? { description: `How the run's sockets end afterwards, overriding the file's cleanup: ${MODES_TEXT}` }
      : { default: defaultMode, description: `How the run's sockets end afterwards: ${MODES_TEXT}` },
  );

export const RunCleanupSchema = Type.Object(
  {
    mode: ModeSchema,
    released: Type.Array(ConnectionIdSchema, {
      description:
        `close only: connections whose peer had not closed ${GRACEFUL_CLOSE_MS} ms after our FIN, closed then ` +
        'without waiting (close(2): the kernel answers any further data with RST)',
    }),
  },
  { description: "How the run's sockets were ended (absent when they were kept)" },
);
export type RunCleanup = Static<typeof RunCleanupSchema>;
