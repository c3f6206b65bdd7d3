// The one place any failure becomes {"error": {code, message, fault?, limit?, field?}} with its status.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../shared';
import { InspectorError } from '../inspector/errors';
import { codeForStatus } from './http-errors';
import { SMALL_BODY_LIMIT } from './route-common';

type Body = ApiError['error'];

interface ValidationIssue {
  keyword?: string;
  schemaPath?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(sendApiError);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${path}` } satisfies Body });
  });
}

export function sendApiError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toApiError(error, request);
  if (status >= 500) request.log.error({ err: error }, 'unexpected error');
  reply.code(status).header('cache-control', 'no-store').send({ error: body });
}

export function toApiError(error: unknown, request?: FastifyRequest): { status: number; body: Body } {
  if (error instanceof InspectorError) {
    return { status: error.statusCode, body: { code: error.code, message: error.message, ...error.extra } };
  }
  const e = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(e.validation)) {
    const context = e.validationContext ?? 'request';
    const oversized = oversizedPayload(e.validation);
    if (oversized) return { status: 413, body: { ...issueBody(oversized, context), code: 'PAYLOAD_TOO_LARGE' } };
    return { status: 400, body: validationBody(e.validation, context) };
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 500 || status < 400)
    return { status: 500, body: { code: 'INTERNAL', message: 'internal error (see the server log)' } };
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

/**
 * A payload field (send data, a scenario's source, a responder's reply: bounds past a small body) longer than its
 * bound makes the request too large, like a body past the route's limit: 413 either way. A name too long stays 400.
 */
const oversizedPayload = (issues: ValidationIssue[]): ValidationIssue | undefined =>
  issues.find((i) => i.keyword === 'maxLength' && Number(i.params?.limit) >= SMALL_BODY_LIMIT);

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
  return issueBody([...issues].sort((a, b) => depth(b) - depth(a))[0], context, all);
}

/** "body.data must not have more than 2800000 characters", naming the field. */
function issueBody(issue: ValidationIssue | undefined, context: string, all: ValidationIssue[] = []): Body {
  const field = fieldOf(issue?.instancePath);
  const message = `${context}${field ? '.' + field : ''} ${describe(issue, all)}`;
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
