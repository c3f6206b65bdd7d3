// Scenario files: schema, parsing (YAML or JSON), validation, ${...} interpolation and step labels. Pure.
export * from './schema';
export * from './cleanup';
export { explainSchema, joinPath, type ScenarioError } from './schema-errors';
export * from './interpolate';
export { SCENARIO_REF_PATTERN, type BoundKind } from './references';
export * from './validate';
export * from './parse';
export * from './label';
export * from './reply';
