// The one place any failure becomes {"error": {code, message, fault?, limit?, field?}} with its status.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiError, ApiErrorCode } from '../../shared';
import { InspectorError } from '../inspector/errors';

type Body = ApiError['error'];

interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toApiError(error, request);
    if (status >= 500) request.log.error({ err: error }, 'unexpected error');
    reply.code(status).header('cache-control', 'no-store').send({ error: body });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${path}` } satisfies Body });
  });
}

export function toApiError(error: unknown, request?: FastifyRequest): { status: number; body: Body } {
  if (error instanceof InspectorError) {
    return { status: error.statusCode, body: { code: error.code, message: error.message, ...error.extra } };
  }
  const e = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(e.validation))
    return { status: 400, body: validationBody(e.validation, e.validationContext ?? 'request') };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 500 || status < 400)
    return { status: 500, body: { code: 'INTERNAL', message: 'internal error (see the server log)' } };
  return { status, body: { code: codeForStatus(status), message: clientMessage(e, request) } };
}

function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 401:
      return 'UNAUTHORIZED';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    default:
      return 'BAD_REQUEST';
  }
}

function clientMessage(e: Partial<FastifyError>, request?: FastifyRequest): string {
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `request bodies must be application/json, got ${JSON.stringify(request?.headers['content-type'] ?? 'none')}`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'request body is larger than the server accepts';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'request body is not valid JSON';
    default:
      return e.message ?? 'bad request';
  }
}

/** Prefer the issue that names a field: an unknown property, a missing one, or the first bad value. */
function validationBody(issues: ValidationIssue[], context: string): Body {
  const unknown = issues.find((i) => i.keyword === 'additionalProperties');
  if (unknown) {
    const names = (unknown.params?.additionalProperties as string[] | undefined) ?? [];
    const where = fieldOf(unknown.instancePath);
    const field = [where, names[0]].filter(Boolean).join('.');
    return { code: 'BAD_REQUEST', message: `${context} has unknown field ${JSON.stringify(field)}`, field };
  }
  const missing = issues.find((i) => i.keyword === 'required');
  if (missing) {
    const names = (missing.params?.requiredProperties as string[] | undefined) ?? [];
    const field = [fieldOf(missing.instancePath), names[0]].filter(Boolean).join('.');
    return { code: 'BAD_REQUEST', message: `${context} is missing required field ${JSON.stringify(field)}`, field };
  }
  const first = issues[0];
  const field = fieldOf(first?.instancePath);
  const message = `${context}${field ? '.' + field : ''} ${first?.message ?? 'is invalid'}`;
  return field ? { code: 'BAD_REQUEST', message, field } : { code: 'BAD_REQUEST', message };
}

const fieldOf = (instancePath: string | undefined): string => (instancePath ?? '').split('/').filter(Boolean).join('.');
