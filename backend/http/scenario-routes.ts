// REST for scenario files: validate one, or run one (the answer comes when the run ends; the UI watches it live).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RunResultSchema, RunScenarioBodySchema, ScenarioCheckReplySchema } from '../../shared';
import { checkScenarioBody, loadScenario } from '../scenario/load';
import { MAX_RUN_MS, runScenario } from '../scenario/runner';
import { clientGone, errorReplies, payloadBodyLimit } from './route-common';

/**
 * For a request that answers when a run ends: the idle-socket timeout must outlast the run (a `wait` step writes
 * nothing for a minute), and the returned signal aborts when the client hangs up first, which stops the run and
 * closes its sockets.
 */
export function runSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  request.raw.socket?.setTimeout?.(MAX_RUN_MS + 30_000);
  return clientGone(reply);
}

export async function scenarioRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const inspector = fastify.inspector;
  const tags = ['scenarios'];
  // A scenario may carry send payloads.
  const bodyLimit = payloadBodyLimit(inspector.limits);

  app.post(
    '/api/scenarios/validate',
    {
      bodyLimit,
      schema: {
        tags,
        summary:
          'Check a scenario (JSON object or YAML/JSON text) without running it; every error names step and field',
        body: RunScenarioBodySchema,
        response: { 200: ScenarioCheckReplySchema, ...errorReplies },
      },
    },
    async (request) => checkScenarioBody(request.body),
  );

  app.post(
    '/api/scenarios/run',
    {
      bodyLimit,
      schema: {
        tags,
        summary:
          'Run a scenario in its own session; answers when it ends (passed or failed) with every step. 400 BAD_SCENARIO ' +
          'lists the errors of an invalid file; steps appear live as scenario/step events',
        body: RunScenarioBodySchema,
        response: { 200: RunResultSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const scenario = loadScenario(request.body);
      const { keep = false, cleanup } = request.body;
      return runScenario(inspector, scenario, { keep, cleanup, signal: runSignal(request, reply) });
    },
  );
}
