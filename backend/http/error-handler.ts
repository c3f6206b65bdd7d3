// The one place any failure becomes {"error": {code, message, fault?, limit?, field?}} with its status.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../shared';
import { InspectorError } from '../inspector/errors';
import { codeForStatus, statusOf } from './http-errors';

type Body = ApiError['error'];

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(sendApiError);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    reply
      .code(statusOf('NOT_FOUND'))
      .send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${path}` } satisfies Body });
  });
}

export function sendApiError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toApiError(error, request);
  if (status >= 500) request.log.error({ err: error }, 'unexpected error');
  reply.code(status).header('cache-control', 'no-store').send({ error: body });
}

/** Request errors (schema failures included: schema-validator.ts makes them) carry their own; Fastify's own by status. */
export function toApiError(error: unknown, request?: FastifyRequest): { status: number; body: Body } {
  if (error instanceof InspectorError) {
    return { status: error.statusCode, body: { code: error.code, message: error.message, ...error.extra } };
  }
  const e = error as Partial<FastifyError>;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 500 || status < 400)
    return { status: statusOf('INTERNAL'), body: { code: 'INTERNAL', message: 'internal error (see the server log)' } };
  return { status, body: { code: codeForStatus(status), message: clientMessage(e, request) } };
}

function clientMessage(e: Partial<FastifyError>, request?: FastifyRequest): string {
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `request bodies must be application/json, got ${JSON.stringify(request?.headers['content-type'] ?? 'none')}`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request?.routeOptions.bodyLimit;
      return `request body is larger than ${request?.method ?? ''} ${request?.routeOptions.url ?? 'this route'} accepts${limit ? ` (${limit} bytes)` : ''}`;
    }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'request body is not valid JSON';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'request body length differs from its Content-Length';
    case 'FST_ERR_BAD_URL':
      return 'the URL is not valid (bad percent-encoding?)';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'a path segment of the URL is too long';
    default:
      return e.message ?? 'bad request';
  }
}
