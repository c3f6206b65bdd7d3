// Fastify's validator for every route schema: TypeBox's compiled check, and on failure the shared schema message
// (shared/schema-message.ts) as a request error, so REST words a bad field as a scenario check and the UI do.
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { DEFAULT_HTTP_BOUNDS, joinField, problemText, schemaProblems, type SchemaProblem } from '../../shared';
import { requestError, type InspectorError } from '../inspector/errors';

export const schemaValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (value) => {
    // Bodies are checked as sent (no coercion, no stripping, no defaults); query strings and params are text.
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (check.Check(converted)) return { value: converted };
    return { error: validationError(schema, converted, httpPart ?? 'request', check.Errors(converted)) };
  };
};

interface Issue {
  keyword: string;
  instancePath: string;
  params?: Record<string, unknown>;
}

/** The first problem, as BAD_REQUEST naming its field; a payload field past its bound is PAYLOAD_TOO_LARGE instead. */
function validationError(schema: TSchema, value: unknown, part: string, issues: readonly Issue[]): InspectorError {
  const problems = schemaProblems(schema, value);
  const oversized = oversizedField(issues);
  const problem = problems.find((p) => p.field === oversized) ?? problems[0] ?? { field: '', message: 'is invalid' };
  const extra = problem.field ? { field: problem.field } : {};
  const code = oversized !== undefined && problem.field === oversized ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
  return requestError(code, messageOf(problem, part), extra);
}

/** `port: must be ...`; a problem with the whole part names the part: `body: must be an object, got null`. */
const messageOf = (p: SchemaProblem, part: string): string => problemText(p.field ? p : { ...p, field: part });

/**
 * A payload field (send data, a scenario's source, a responder's reply: bounds past a small body) longer than its
 * bound makes the request too large, like a body past the route's limit: 413 either way. A name too long stays 400.
 */
function oversizedField(issues: readonly Issue[]): string | undefined {
  const issue = issues.find(
    (i) => i.keyword === 'maxLength' && Number(i.params?.['limit']) >= DEFAULT_HTTP_BOUNDS.bodyLimitBytes,
  );
  return issue && fieldOfPointer(issue.instancePath);
}

/** `/steps/0/send/data` -> `steps[0].send.data`, the way schema problems name fields. */
const fieldOfPointer = (pointer: string): string =>
  pointer
    .split('/')
    .filter(Boolean)
    .reduce((field, key) => joinField(field, /^\d+$/.test(key) ? Number(key) : key), '');
