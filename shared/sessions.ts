// Sessions group the sockets one script or test run created, so it can report on them and clean them all up.
import { Type, type Static } from 'typebox';
import { ConnectionIdSchema, ListenerIdSchema } from './ids';
import { ConnectionStateSchema } from './socket-state';
import { Nullable } from './nullable';

export const SessionIdSchema = Type.String({ pattern: '^s-[0-9]+$', description: 'Session id, e.g. s-2' });

export const CreateSessionBodySchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 120 }) },
  { additionalProperties: false },
);
export type CreateSessionBody = Static<typeof CreateSessionBodySchema>;

export const SessionSchema = Type.Object({
  id: SessionIdSchema,
  name: Type.String(),
  createdAt: Type.Integer(),
  closedAt: Nullable(Type.Integer()),
  listeners: Type.Array(ListenerIdSchema),
  connections: Type.Array(ConnectionIdSchema, {
    description: 'Client connections and those accepted by its listeners',
  }),
});
export type Session = Static<typeof SessionSchema>;

export const SessionListSchema = Type.Object({ sessions: Type.Array(SessionSchema) });
export type SessionList = Static<typeof SessionListSchema>;

export const SessionFaultSchema = Type.Object({
  id: ConnectionIdSchema,
  code: Type.String(),
  errno: Nullable(Type.Integer()),
  syscall: Nullable(Type.String()),
  state: Type.String({ description: 'Connection state when it happened' }),
  at: Type.Integer(),
});

export const SessionReportSchema = Type.Object({
  id: SessionIdSchema,
  name: Type.String(),
  createdAt: Type.Integer(),
  closedAt: Nullable(Type.Integer()),
  durationMs: Type.Number({ minimum: 0 }),
  listeners: Type.Integer({ minimum: 0 }),
  connections: Type.Object({
    total: Type.Integer({ minimum: 0 }),
    client: Type.Integer({ minimum: 0 }),
    accepted: Type.Integer({ minimum: 0 }),
    open: Type.Integer({ minimum: 0, description: 'Not closed or failed yet' }),
    failed: Type.Integer({ minimum: 0 }),
  }),
  bytesIn: Type.Integer({ minimum: 0 }),
  bytesOut: Type.Integer({ minimum: 0 }),
  faults: Type.Array(SessionFaultSchema),
  sockets: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('listener'), Type.Literal('client'), Type.Literal('accepted')]),
      state: Type.Union([ConnectionStateSchema, Type.String()]),
      bytesIn: Type.Integer({ minimum: 0 }),
      bytesOut: Type.Integer({ minimum: 0 }),
      fault: Nullable(Type.String()),
    }),
  ),
});
export type SessionReport = Static<typeof SessionReportSchema>;
