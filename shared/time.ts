// Every time in sockscope is an integer count of microseconds since the Unix epoch.
export type Micros = number;

export const microsToMillis = (us: Micros): number => Math.floor(us / 1000);
export const microsToIso = (us: Micros): string => new Date(microsToMillis(us)).toISOString();
