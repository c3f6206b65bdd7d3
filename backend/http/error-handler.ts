// The one place any failure becomes {"error": {code, message, fault?, limit?, field?}} with its status.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiError, ApiErrorCode } from '../../shared';
import { InspectorError } from '../inspector/errors';

type Body = ApiError['error'];

interface ValidationIssue {
  keyword?: string;
  schemaPath?: string;
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

/** Prefer the issue that names a field: an unknown property, a missing one, or the most specific bad value. */
function validationBody(all: ValidationIssue[], context: string): Body {
  const issues = withinBestBranch(all);
  const unknown = issues.find((i) => i.keyword === 'additionalProperties');
  if (unknown) {
    const field = [fieldOf(unknown.instancePath), namesOf(unknown, 'additionalProperties')[0]]
      .filter(Boolean)
      .join('.');
    return { code: 'BAD_REQUEST', message: `${context} has unknown field ${JSON.stringify(field)}`, field };
  }
  const missing = issues.find((i) => i.keyword === 'required');
  if (missing) {
    const field = [fieldOf(missing.instancePath), namesOf(missing, 'requiredProperties')[0]].filter(Boolean).join('.');
    return { code: 'BAD_REQUEST', message: `${context} is missing required field ${JSON.stringify(field)}`, field };
  }
  const first = [...issues].sort((a, b) => depth(b) - depth(a))[0];
  const field = fieldOf(first?.instancePath);
  const message = `${context}${field ? '.' + field : ''} ${describe(first, all)}`;
  return field ? { code: 'BAD_REQUEST', message, field } : { code: 'BAD_REQUEST', message };
}

/**
 * A union (split: {writes} | {chunkBytes}; framing rules by `kind`) reports every branch's complaints. Keep the
 * branch the value meant: not one whose literal (kind) differs, and of the rest the one with the fewest complaints.
 */
function withinBestBranch(issues: ValidationIssue[]): ValidationIssue[] {
  const relevant = issues.filter((i) => i.keyword !== 'anyOf' && i.keyword !== 'boolean');
  const branches = new Map<string, ValidationIssue[]>();
  const outside: ValidationIssue[] = [];
  for (const i of relevant) {
    const branch = /^(.*\/anyOf\/\d+)/.exec(i.schemaPath ?? '')?.[1];
    if (!branch) outside.push(i);
    else branches.set(branch, [...(branches.get(branch) ?? []), i]);
  }
  if (branches.size === 0) return relevant.length ? relevant : issues;
  const groups = [...branches.values()];
  const sameKind = groups.filter(
    (g) => !g.some((i) => i.keyword === 'const' && fieldOf(i.instancePath).endsWith('kind')),
  );
  const best = (sameKind.length ? sameKind : groups).reduce((a, b) => (b.length < a.length ? b : a));
  return [...outside, ...best];
}

/** "must be one of 1, 2, 4, 8" for a union of literals, else the validator's words. */
function describe(issue: ValidationIssue | undefined, all: ValidationIssue[]): string {
  if (!issue) return 'is invalid';
  if (issue.keyword !== 'const') return issue.message ?? 'is invalid';
  const allowed = all
    .filter((i) => i.keyword === 'const' && i.instancePath === issue.instancePath)
    .map((i) => JSON.stringify(i.params?.allowedValue));
  return allowed.length > 1 ? `must be one of ${allowed.join(', ')}` : `must be ${allowed[0]}`;
}

const namesOf = (i: ValidationIssue, key: string): string[] => (i.params?.[key] as string[] | undefined) ?? [];
const depth = (i: ValidationIssue): number => (i.instancePath ?? '').split('/').length;

const fieldOf = (instancePath: string | undefined): string => (instancePath ?? '').split('/').filter(Boolean).join('.');
