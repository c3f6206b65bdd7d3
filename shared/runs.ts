// Scenario runs and the lab: what POST /api/scenarios/run, POST /api/lab/:name/run and the CLI report.
import { Type, type Static } from 'typebox';
import { Nullable } from './nullable';
import { RunIdSchema } from './events';
import { SessionIdSchema } from './sessions';
import { RunCleanupSchema, cleanupModeSchema } from './scenario/cleanup';

const strict = { additionalProperties: false } as const;

export const StepResultSchema = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  label: Type.String({ description: 'e.g. expect srv.accepted[0] text "hello"' }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('skipped')]),
  elapsedMs: Type.Number({ minimum: 0 }),
  message: Nullable(
    Type.String({ description: 'Why it failed (what was expected, what arrived), or what an ok step found' }),
  ),
});
export type StepResult = Static<typeof StepResultSchema>;

export const RunResultSchema = Type.Object({
  id: RunIdSchema,
  scenario: Type.String(),
  lab: Nullable(Type.String()),
  session: Nullable(SessionIdSchema),
  status: Type.Union([Type.Literal('passed'), Type.Literal('failed')]),
  elapsedMs: Type.Number({ minimum: 0 }),
  steps: Type.Array(StepResultSchema),
  failedStep: Nullable(Type.Integer({ minimum: 0 })),
  vars: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
    description: 'Variables bound by the run (srv.port, cli.local.port...)',
  }),
  cleanup: Type.Optional(RunCleanupSchema),
});
export type RunResult = Static<typeof RunResultSchema>;

export const RunScenarioBodySchema = Type.Object(
  {
    scenario: Type.Optional(Type.Unknown({ description: 'The scenario as a JSON object' })),
    source: Type.Optional(Type.String({ maxLength: 1_000_000, description: 'The scenario file text, YAML or JSON' })),
    keep: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Leave the sockets open after the run (default: the session is closed)',
      }),
    ),
    cleanup: Type.Optional(cleanupModeSchema()),
  },
  strict,
);
export type RunScenarioBody = Static<typeof RunScenarioBodySchema>;

export const LabFixSchema = Type.Object({ python: Type.String(), node: Type.String() });

export const LabInfoSchema = Type.Object({
  name: Type.String({ description: 'e.g. no-framing' }),
  title: Type.String(),
  what: Type.String({ description: 'What happens' }),
  why: Type.String({ description: 'Why, at the socket level' }),
  fix: LabFixSchema,
  steps: Type.Integer({ minimum: 1 }),
});
export type LabInfo = Static<typeof LabInfoSchema>;

export const LabListSchema = Type.Object({ labs: Type.Array(LabInfoSchema) });
export type LabList = Static<typeof LabListSchema>;

export const LabDetailSchema = Type.Object({
  ...LabInfoSchema.properties,
  source: Type.String({ description: 'The scenario file (YAML): copy it, edit it, run it with `npx sockscope run`' }),
});
export type LabDetail = Static<typeof LabDetailSchema>;
