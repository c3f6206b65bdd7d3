// A scenario error is a schema problem (shared/schema-message.ts) whose field is a path in the file: `steps[2].send.on`.
import type { TSchema } from 'typebox';
import { joinField, schemaProblems } from '../schema-message';

export interface ScenarioError {
  /** Where: `steps[2].send.on`, `name`, `source`. */
  path: string;
  message: string;
}

export const joinPath = joinField;

/** Every mistake that makes `value` fail `schema`, each at its own path; [] when it passes. */
export const explainSchema = (schema: TSchema, value: unknown, path: string): ScenarioError[] =>
  schemaProblems(schema, value, path).map(({ field, message }) => ({ path: field, message }));
