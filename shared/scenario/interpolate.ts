// ${srv.port}, ${cli.localPort}, ${vars.greeting}: references inside scenario strings, replaced as a run goes.

export type VarValue = string | number;
export type ScenarioVars = Readonly<Record<string, VarValue>>;

const REFERENCE = /\$\{([^}]*)\}/g;

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

/** The references a string makes, trimmed: "${srv.port}:${ vars.x }" -> ["srv.port", "vars.x"]. */
export function referencesIn(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => (m[1] ?? '').trim());
}

function lookup(name: string, vars: ScenarioVars): VarValue {
  const value = vars[name];
  if (value === undefined) {
    const known = Object.keys(vars);
    throw new InterpolationError(
      `\${${name}} is not known here (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
    );
  }
  return value;
}

/** Replaces every ${...} in the text; throws InterpolationError naming an unknown reference. */
export function interpolate(text: string, vars: ScenarioVars): string {
  return text.replace(REFERENCE, (_, name: string) => String(lookup(name.trim(), vars)));
}

/** Replaces the references whose value is known and leaves the others as written: for labels, never throws. */
export function interpolateKnown(text: string, vars: ScenarioVars): string {
  return text.replace(REFERENCE, (whole, name: string) => {
    const value = vars[name.trim()];
    return value === undefined ? whole : String(value);
  });
}

/** Strings anywhere inside objects and arrays are interpolated; other values are kept. */
export function interpolateDeep<T>(value: T, vars: ScenarioVars): T {
  return mapStrings(value, (text) => interpolate(text, vars));
}

/** interpolateDeep with interpolateKnown: unknown references stay as written. */
export function interpolateKnownDeep<T>(value: T, vars: ScenarioVars): T {
  return mapStrings(value, (text) => interpolateKnown(text, vars));
}

function mapStrings<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, fn)) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  return value;
}

/** A number field: a number as is, or a string (usually exactly one ${...}) whose interpolation reads as a number. */
export function interpolateNumber(value: number | string, vars: ScenarioVars): number {
  if (typeof value === 'number') return value;
  const text = interpolate(value, vars).trim();
  const n = text === '' ? NaN : Number(text);
  if (!Number.isFinite(n))
    throw new InterpolationError(`${JSON.stringify(value)} is ${JSON.stringify(text)}, not a number`);
  return n;
}
