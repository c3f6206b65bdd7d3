// REST for the lab: the built-in scenarios (list, source, run) and the one mistake a lab needs a route for, send on a listener.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LabDetailSchema, LabListSchema, RunResultSchema, SendBodySchema, cleanupModeSchema } from '../../shared';
import { labDetail, labList, labScenario } from '../lab/catalog';
import { runScenario } from '../scenario/runner';
import { IdParamsSchema, errorReplies, payloadBodyLimit } from './route-common';
import { runSignal } from './scenario-routes';

const LabParamsSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64, description: 'Lab name, e.g. no-framing' }) },
  { additionalProperties: false },
);

const LabRunBodySchema = Type.Union(
  [
    Type.Null(),
    Type.Object(
      {
        keep: Type.Optional(
          Type.Boolean({ default: false, description: 'Leave the sockets open after the run to inspect them' }),
        ),
        cleanup: Type.Optional(cleanupModeSchema()),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'No body, or { keep } or { cleanup }' },
);

/** Aborts when the client goes away before the answer: the run then stops and cleans up. */
export async function labRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const inspector = fastify.inspector;
  const tags = ['lab'];

  app.get(
    '/api/lab',
    {
      schema: {
        tags,
        summary: 'The built-in labs: classic socket mistakes, each a scenario that reproduces it',
        response: { 200: LabListSchema, ...errorReplies },
      },
    },
    async () => labList(),
  );

  app.get(
    '/api/lab/:name',
    {
      schema: {
        tags,
        summary: 'One lab: what happens, why, the fix in Python and Node, and its scenario file',
        params: LabParamsSchema,
        response: { 200: LabDetailSchema, ...errorReplies },
      },
    },
    async (request) => labDetail(request.params.name),
  );

  app.post(
    '/api/lab/:name/run',
    {
      schema: {
        tags,
        summary: 'Run a lab: its sockets appear like any others and are closed afterwards unless keep is true',
        description:
          'Answers when the run is over with every step ok, failed (with the reason) or skipped; progress streams ' +
          'as scenario/run and scenario/step events. 404 LAB_NOT_FOUND for an unknown name.',
        params: LabParamsSchema,
        body: LabRunBodySchema,
        response: { 200: RunResultSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const scenario = labScenario(request.params.name);
      const { keep = false, cleanup } = request.body ?? {};
      const signal = runSignal(request, reply);
      return runScenario(inspector, scenario, { lab: request.params.name, keep, cleanup, signal });
    },
  );

  app.post(
    '/api/listeners/:id/send',
    {
      // Takes what a connection send takes, so any send body gets the lesson's 409, not a 413.
      bodyLimit: payloadBodyLimit(inspector.limits),
      schema: {
        tags: ['listeners'],
        summary:
          'Send on a listening socket: always refused, 409 NOT_CONNECTED with an ENOTCONN fault (the lab shows why)',
        description:
          'A listening socket has no peer: accept() hands out a new socket per connection, and only those carry data. ' +
          'The body is that of a connection send; nothing is written. 404 LISTENER_NOT_FOUND for an unknown id.',
        params: IdParamsSchema,
        body: SendBodySchema,
        response: { ...errorReplies },
      },
    },
    async (request) => inspector.sendOnListener(request.params.id),
  );
}
