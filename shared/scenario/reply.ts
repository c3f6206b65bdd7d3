// What POST /api/scenarios/validate answers: the errors a run would refuse the file with, without running it.
import { Type, type Static } from 'typebox';
import { Nullable } from '../nullable';

export const ScenarioErrorSchema = Type.Object({
  path: Type.String({ description: 'e.g. steps[2].send.on; "source" for a YAML/JSON syntax error' }),
  message: Type.String(),
});

export const ScenarioCheckReplySchema = Type.Object({
  ok: Type.Boolean(),
  name: Nullable(Type.String({ description: 'The scenario name, when the file has one' })),
  steps: Type.Integer({ minimum: 0, description: 'Number of steps (0 when they could not be read)' }),
  errors: Type.Array(ScenarioErrorSchema),
});
export type ScenarioCheckReply = Static<typeof ScenarioCheckReplySchema>;
