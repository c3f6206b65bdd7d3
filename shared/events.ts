// Everything the inspector observes, as one discriminated union. The stream and /api/events carry these.
import { Type, type Static } from 'typebox';
import { ConnectionIdSchema, ListenerIdSchema } from './ids';
import { ConnectionStateSchema, ListenerStateSchema } from './socket-state';
import { FaultSchema } from './fault';
import { KernelFieldsSchema } from './tcp-state';
import { FramingRuleSchema } from './framing/rule';
import { CaptureHeadBytesSchema } from './limits';
import {
  ConnectionRowSchema,
  EndpointSchema,
  FamilySchema,
  ListenerRowSchema,
  Nullable,
  RespondersSummarySchema,
  SocketsSchema,
} from './rows';

const base = {
  seq: Type.Integer({ minimum: 1, description: 'Strictly increasing across all events of this run' }),
  at: Type.Integer({ description: 'Microseconds since the Unix epoch' }),
};

export const ListenerOpenedSchema = Type.Object({
  ...base,
  type: Type.Literal('listener/opened'),
  id: ListenerIdSchema,
  listener: ListenerRowSchema,
});
export const ListenerStateEventSchema = Type.Object({
  ...base,
  type: Type.Literal('listener/state'),
  id: ListenerIdSchema,
  from: ListenerStateSchema,
  to: ListenerStateSchema,
});
export const ListenerFaultSchema = Type.Object({
  ...base,
  type: Type.Literal('listener/fault'),
  id: ListenerIdSchema,
  fault: FaultSchema,
});
export const ListenerClosedSchema = Type.Object({
  ...base,
  type: Type.Literal('listener/closed'),
  id: ListenerIdSchema,
  listener: ListenerRowSchema,
});

export const SocketOpenedSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/opened'),
  id: ConnectionIdSchema,
  connection: ConnectionRowSchema,
});
export const SocketAttemptSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/attempt'),
  id: ConnectionIdSchema,
  attempt: Type.Integer({ minimum: 1 }),
  attempts: Type.Integer({ minimum: 1 }),
  host: Type.String(),
  port: Type.Integer(),
});
export const SocketStateSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/state'),
  id: ConnectionIdSchema,
  from: ConnectionStateSchema,
  to: ConnectionStateSchema,
  cause: Type.String({
    description: 'What moved it: connect, peer-fin, shutdown, close, reset, peer-reset, error, timeout, peer-close',
  }),
  local: Type.Optional(Nullable(EndpointSchema)),
  remote: Type.Optional(Nullable(EndpointSchema)),
  family: Type.Optional(Nullable(FamilySchema)),
});
export const SocketDataSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/data'),
  id: ConnectionIdSchema,
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  index: Type.Integer({ minimum: 1, description: 'Chunk index, as in /api/connections/:id/chunks' }),
  offset: Type.Integer({ minimum: 0 }),
  length: Type.Integer({ minimum: 0 }),
  data: Type.String({ description: 'base64; empty when truncated' }),
  truncated: Type.Boolean({ description: 'Payload left out to keep a queue bounded; length is still exact' }),
});
export const SocketFaultSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/fault'),
  id: ConnectionIdSchema,
  fault: FaultSchema,
  attempt: Type.Integer({ minimum: 0 }),
  retryInMs: Nullable(Type.Integer({ minimum: 0 })),
});
export const SocketFlowSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/flow'),
  id: ConnectionIdSchema,
  paused: Type.Boolean(),
});

/** Which group of settings a REST call changed; the event carries all of them as they now are. */
export const ConfigChangeSchema = Type.Union(
  [Type.Literal('framing'), Type.Literal('responders'), Type.Literal('options')],
  {
    description:
      'framing: decoding started over; responders: GET .../responders has the new rules; options: socket options or captureHeadBytes',
  },
);
export type ConfigChange = Static<typeof ConfigChangeSchema>;
/** A connection's settings changed (PUT framing or responders, POST options): the row's settings as they now are. */
export const SocketConfigSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/config'),
  id: ConnectionIdSchema,
  changed: ConfigChangeSchema,
  framing: Nullable(FramingRuleSchema),
  responders: RespondersSummarySchema,
  noDelay: Type.Boolean(),
  keepAlive: Type.Boolean(),
  closeOnPeerFin: Type.Boolean(),
  captureHeadBytes: CaptureHeadBytesSchema,
});
/** A listener's settings for the connections it accepts from now on changed (PUT framing or responders, POST options). */
export const ListenerConfigSchema = Type.Object({
  ...base,
  type: Type.Literal('listener/config'),
  id: ListenerIdSchema,
  changed: ConfigChangeSchema,
  framing: Nullable(FramingRuleSchema),
  responders: RespondersSummarySchema,
  closeOnPeerFin: Type.Boolean(),
  captureHeadBytes: Type.Union([CaptureHeadBytesSchema, Type.Null()], {
    description: 'Head given to connections accepted from now on; null: captureHeadBytes of the limits',
  }),
});
export const SocketClosedSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/closed'),
  id: ConnectionIdSchema,
  connection: ConnectionRowSchema,
});

/** The kernel's view changed (polled from /proc/net/tcp*); after close it goes on until the kernel forgets the socket (all null). */
export const SocketKernelSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/kernel'),
  id: ConnectionIdSchema,
  ...KernelFieldsSchema,
});
/** Bytes written by sockscope but still buffered in Node changed: backpressure made visible (sent on change, rate-limited). */
export const SocketQueueSchema = Type.Object({
  ...base,
  type: Type.Literal('socket/queue'),
  id: ConnectionIdSchema,
  queuedBytes: Type.Integer({ minimum: 0 }),
});
export const ListenerKernelSchema = Type.Object({
  ...base,
  type: Type.Literal('listener/kernel'),
  id: ListenerIdSchema,
  ...KernelFieldsSchema,
});

export const RunIdSchema = Type.String({ pattern: '^r-[0-9]+$', description: 'Scenario run id, e.g. r-4' });

/** A scenario run (POST /api/scenarios/run, a lab, the CLI on an embedded server) starting and ending. */
export const ScenarioRunEventSchema = Type.Object({
  ...base,
  type: Type.Literal('scenario/run'),
  id: RunIdSchema,
  scenario: Type.String({ description: 'The scenario name' }),
  lab: Nullable(Type.String({ description: 'Lab name when the run is a built-in lab scenario' })),
  session: Nullable(Type.String({ description: 'Session holding the sockets the run created' })),
  status: Type.Union([Type.Literal('running'), Type.Literal('passed'), Type.Literal('failed')]),
  steps: Type.Integer({ minimum: 0 }),
  failedStep: Nullable(Type.Integer({ minimum: 0, description: 'Index of the step that failed' })),
  elapsedMs: Type.Number({ minimum: 0 }),
});

/** One step of a run: emitted when it starts (running) and when it ends (ok / failed with the reason). */
export const ScenarioStepEventSchema = Type.Object({
  ...base,
  type: Type.Literal('scenario/step'),
  id: RunIdSchema,
  step: Type.Integer({ minimum: 0 }),
  label: Type.String({ description: 'e.g. expect srv.accepted[0] text "hello"' }),
  status: Type.Union([Type.Literal('running'), Type.Literal('ok'), Type.Literal('failed')]),
  elapsedMs: Type.Number({ minimum: 0 }),
  message: Nullable(Type.String({ description: 'Failure reason, or what an ok step found' })),
});

export const InspectorEventSchema = Type.Union([
  ListenerOpenedSchema,
  ListenerStateEventSchema,
  ListenerFaultSchema,
  ListenerClosedSchema,
  ListenerConfigSchema,
  SocketOpenedSchema,
  SocketAttemptSchema,
  SocketStateSchema,
  SocketDataSchema,
  SocketFaultSchema,
  SocketFlowSchema,
  SocketConfigSchema,
  SocketClosedSchema,
  SocketKernelSchema,
  SocketQueueSchema,
  ListenerKernelSchema,
  ScenarioRunEventSchema,
  ScenarioStepEventSchema,
]);
export type InspectorEvent = Static<typeof InspectorEventSchema>;
export type InspectorEventType = InspectorEvent['type'];
/** A scenario event before the log stamps seq. */
export type ScenarioEvent =
  Omit<Static<typeof ScenarioRunEventSchema>, 'seq'> | Omit<Static<typeof ScenarioStepEventSchema>, 'seq'>;
export type EventOf<T extends InspectorEventType> = Extract<InspectorEvent, { type: T }>;
/** What the inspector hands to the log; the log stamps seq. */
export type UnsequencedEvent = InspectorEvent extends infer E
  ? E extends InspectorEvent
    ? Omit<E, 'seq'>
    : never
  : never;

/** First frame on /api/stream. replay holds the logged events after `since` when the client resumed. */
export const SnapshotFrameSchema = Type.Object({
  type: Type.Literal('snapshot'),
  seq: Type.Integer({
    minimum: 0,
    description: 'Last event seq folded into `sockets`; live events follow with seq > this',
  }),
  at: Type.Integer(),
  sockets: SocketsSchema,
  since: Nullable(Type.Integer({ minimum: 0 })),
  replay: Type.Array(InspectorEventSchema, { description: 'Events with since < seq <= snapshot seq still in the log' }),
  lagged: Type.Boolean({ description: 'True when events after `since` were already evicted from the log' }),
  missed: Type.Integer({ minimum: 0, description: 'How many events after `since` were evicted' }),
});
export type SnapshotFrame = Static<typeof SnapshotFrameSchema>;

export const StreamFrameSchema = Type.Union([SnapshotFrameSchema, InspectorEventSchema]);
export type StreamFrame = Static<typeof StreamFrameSchema>;

export const EventsPageSchema = Type.Object({
  events: Type.Array(InspectorEventSchema),
  oldestSeq: Type.Integer({ minimum: 0, description: 'Oldest seq still in the log (0 when empty)' }),
  lastSeq: Type.Integer({ minimum: 0 }),
  lagged: Type.Boolean({ description: 'True when events after `since` were evicted before this read' }),
  more: Type.Boolean({ description: 'True when limit cut the page short' }),
});
export type EventsPage = Static<typeof EventsPageSchema>;

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
