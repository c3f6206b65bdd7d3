// The scenario file: a name, optional lab metadata and vars, and steps that each hold exactly one step kind.
import { Type, type Static, type TSchema } from 'typebox';
import { AcceptModeSchema } from '../rows';
import {
  BacklogSchema,
  BindHostSchema,
  BindPortSchema,
  ConnectPortSchema,
  ConnectTimeoutMsSchema,
  PayloadEncodingSchema,
  RetrySchema,
  TargetHostSchema,
} from '../rest';
import { FramingRuleSchema } from '../framing/rule';
import { RespondersBodySchema } from '../responders';
import { SendRepeatSchema, SendSplitSchema } from '../send-plan';
import { ExpectBodySchema, ExpectTimeoutMsSchema } from '../expect';
import { LabFixSchema } from '../runs';
import { MAX_WAIT_MS } from '../waits';
import { cleanupModeSchema, type CleanupMode } from './cleanup';

const strict = { additionalProperties: false } as const;

export const MAX_SCENARIO_STEPS = 500;
/** A user's server must read a clean EOF, not ECONNRESET, just because a scenario failed. */
export const DEFAULT_CLEANUP: CleanupMode = 'close';
export const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]{0,63}$';

/** A string that is exactly one reference, e.g. "${srv.port}": it stands for a number once interpolated. */
export const ReferenceStringSchema = Type.String({
  pattern: '^\\$\\{[^}]+\\}$',
  description: 'e.g. "${srv.port}"',
  errorMessage: 'must be a "${...}" reference',
});
const Num = <T extends TSchema>(schema: T) => Type.Union([schema, ReferenceStringSchema]);

const NAME_WORDS = 'must be a name: a letter or _, then letters, digits, _ or - (at most 64)';
const Name = Type.String({
  pattern: NAME_PATTERN,
  description: 'Binds this name for later steps: srv, cli...',
  errorMessage: NAME_WORDS,
});
const On = Type.String({
  minLength: 1,
  maxLength: 80,
  description: 'A name bound by an earlier step, or LISTENER.accepted[N] (the Nth connection it accepted, 0-based)',
});
const Fails = Type.String({
  pattern: '^E[A-Z0-9]+$',
  description: 'The step passes only if this errno code happens',
  errorMessage: 'must be an errno code such as ECONNREFUSED',
});
export const ListenStepSchema = Type.Object(
  {
    name: Name,
    host: Type.Optional(BindHostSchema),
    port: Num(BindPortSchema),
    backlog: Type.Optional(Num(BacklogSchema)),
    accept: Type.Optional(AcceptModeSchema),
    framing: Type.Optional(FramingRuleSchema),
    responders: Type.Optional(RespondersBodySchema),
    fails: Type.Optional(Fails),
  },
  strict,
);

export const ConnectStepSchema = Type.Object(
  {
    name: Name,
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'A listener name: dial its address' })),
    host: Type.Optional(TargetHostSchema),
    port: Type.Optional(Num(ConnectPortSchema)),
    timeoutMs: Type.Optional(Num(ConnectTimeoutMsSchema)),
    retry: Type.Optional(RetrySchema),
    wait: Type.Optional(Type.Boolean({ default: true, description: 'Wait until open or failed (default)' })),
    fails: Type.Optional(Fails),
  },
  strict,
);

export const SendStepSchema = Type.Object(
  {
    on: On,
    data: Type.String({ maxLength: 2_800_000 }),
    encoding: Type.Optional(PayloadEncodingSchema),
    framing: Type.Optional(FramingRuleSchema),
    split: Type.Optional(SendSplitSchema),
    repeat: Type.Optional(SendRepeatSchema),
    fails: Type.Optional(Fails),
  },
  strict,
);

export const ExpectStepSchema = Type.Object(
  {
    on: On,
    ...ExpectBodySchema.properties,
    bytes: Type.Optional(
      Num(Type.Integer({ minimum: 1, maximum: 1 << 26, description: 'At least N bytes after the cursor' })),
    ),
    timeoutMs: Type.Optional(Num(ExpectTimeoutMsSchema)),
  },
  strict,
);

export const OnStepSchema = Type.Object({ on: On }, strict);

export const FramingStepSchema = Type.Object(
  { on: On, rule: Type.Union([FramingRuleSchema, Type.Null()], { description: 'The rule, or null to stop framing' }) },
  strict,
);

export const WaitStepSchema = Num(Type.Integer({ minimum: 0, maximum: MAX_WAIT_MS, description: 'Milliseconds' }));

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
export const ComparisonSchema = Type.Union([
  Scalar,
  Type.Object(
    {
      eq: Type.Optional(Scalar),
      ne: Type.Optional(Scalar),
      gt: Type.Optional(Type.Union([Type.Number(), ReferenceStringSchema])),
      gte: Type.Optional(Type.Union([Type.Number(), ReferenceStringSchema])),
      lt: Type.Optional(Type.Union([Type.Number(), ReferenceStringSchema])),
      lte: Type.Optional(Type.Union([Type.Number(), ReferenceStringSchema])),
    },
    { ...strict, minProperties: 1 },
  ),
  Type.Object({ in: Type.Array(Scalar, { minItems: 1 }) }, strict),
]);
export type Comparison = Static<typeof ComparisonSchema>;

export const CONNECTION_ASSERT_FIELDS = [
  'state',
  'tcpState',
  'recvQ',
  'sendQ',
  'bytesIn',
  'bytesOut',
  'chunksIn',
  'chunksOut',
  'queuedBytes',
  'attempt',
  'attempts',
  'paused',
  'droppedBytes',
  'fault',
] as const;
export const LISTENER_ASSERT_FIELDS = ['state', 'tcpState', 'recvQ', 'sendQ', 'accepted', 'fault'] as const;
export const ASSERT_FIELDS = [...new Set([...CONNECTION_ASSERT_FIELDS, ...LISTENER_ASSERT_FIELDS])];
export type AssertField = (typeof ASSERT_FIELDS)[number];

export const AssertStepSchema = Type.Object(
  {
    on: On,
    ...Object.fromEntries(ASSERT_FIELDS.map((f) => [f, Type.Optional(ComparisonSchema)])),
    messages: Type.Optional(
      Type.Object(
        {
          direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])),
          framing: Type.Optional(FramingRuleSchema),
          count: ComparisonSchema,
        },
        strict,
      ),
    ),
  },
  strict,
);

/** Each step kind and the schema of its params. */
export const STEP_SCHEMAS = {
  listen: ListenStepSchema,
  connect: ConnectStepSchema,
  send: SendStepSchema,
  expect: ExpectStepSchema,
  shutdown: OnStepSchema,
  close: OnStepSchema,
  reset: OnStepSchema,
  pause: OnStepSchema,
  resume: OnStepSchema,
  framing: FramingStepSchema,
  wait: WaitStepSchema,
  assert: AssertStepSchema,
} as const;
export type StepKind = keyof typeof STEP_SCHEMAS;
export const STEP_KINDS = Object.keys(STEP_SCHEMAS) as StepKind[];
export type StepParams<K extends StepKind> = Static<(typeof STEP_SCHEMAS)[K]>;

export const StepSchema = Type.Union(
  STEP_KINDS.map((kind) => Type.Object({ [kind]: STEP_SCHEMAS[kind] }, strict)),
  { description: 'An object with exactly one step key' },
);
/** One step, as written in the file: `{ listen: {...} }`. */
export type Step = { [K in StepKind]: { [P in K]: StepParams<K> } }[StepKind];

export const LabMetaSchema = Type.Object(
  { title: Type.String({ minLength: 1 }), what: Type.String(), why: Type.String(), fix: LabFixSchema },
  strict,
);

/** Everything but the steps, which are checked one by one (a union's errors would say nothing useful). */
export const ScenarioHeadSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    lab: Type.Optional(LabMetaSchema),
    vars: Type.Optional(
      Type.Record(Type.String({ pattern: NAME_PATTERN }), Type.Union([Type.String(), Type.Number()]), {
        description: 'Referenced as ${vars.NAME}',
        errorMessage: NAME_WORDS,
      }),
    ),
    cleanup: Type.Optional(cleanupModeSchema(DEFAULT_CLEANUP)),
    steps: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_SCENARIO_STEPS }),
  },
  strict,
);

export const ScenarioSchema = Type.Object({
  ...ScenarioHeadSchema.properties,
  steps: Type.Array(StepSchema, { minItems: 1, maxItems: MAX_SCENARIO_STEPS }),
});
export type Scenario = Omit<Static<typeof ScenarioHeadSchema>, 'steps'> & { steps: Step[] };

/** The kind and params of a (valid) step. */
export function stepEntry(step: Step): { [K in StepKind]: { kind: K; params: StepParams<K> } }[StepKind] {
  const [kind, params] = Object.entries(step)[0] as [StepKind, never];
  return { kind, params } as ReturnType<typeof stepEntry>;
}
