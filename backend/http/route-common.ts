// What REST routes share: id params, the empty body of actions, documented error replies, body limits, hang-ups.
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ApiErrorSchema, httpBounds, type Limits } from '../../shared';
import type { InspectorApi } from '../inspector/api';
import { badRequest } from '../inspector/errors';

export const IdParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 40, description: 'Connection id (c-N) or listener id (l-N)' }) },
  { additionalProperties: false },
);

/** Actions take no body; `{}` is accepted for clients that always send JSON, anything else is an unknown field. */
export const NoBodySchema = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })], {
  description: 'No body, or {}',
});

export const errorReplies = {
  '4xx': ApiErrorSchema,
  '5xx': ApiErrorSchema,
} as const;

/** preHandler of routes that read rows: a fresh /proc/net/tcp read first (at most one per 50 ms): current truth. */
export const freshKernel = (inspector: InspectorApi) => async (): Promise<void> => {
  await inspector.refreshKernel();
};

/**
 * Body limit of routes that carry a payload (send, responders, scenarios): httpBounds' payloadBodyLimitBytes. A
 * payload field past its own bound inside such a body is 413 as well (schema-validator). Every other route has the
 * app's bodyLimitBytes.
 */
export const payloadBodyLimit = (limits: Limits): number => httpBounds(limits).payloadBodyLimitBytes;

/**
 * Aborts when the client hangs up before the answer was written: a long poll (expect, ?wait=1, a scenario run) then
 * stops waiting and frees what it held. 'close' on the response fires both after a normal answer and on a hang-up.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort(clientGoneError());
  });
  return gone.signal;
}

/** The reason a wait stopped; a request error, so the answer nobody reads is a plain 4xx, not a logged 500. */
const clientGoneError = () => badRequest('the client closed the connection before the answer');
