// The one clock: integer microseconds since the Unix epoch, monotonic within a run.

// Anchored on the wall clock once; hrtime advances it, so a wall-clock step never makes time run backwards.
const anchorMicros = BigInt(Date.now()) * 1000n;
const anchorHr = process.hrtime.bigint();

export function nowMicros(): number {
  return Number(anchorMicros + (process.hrtime.bigint() - anchorHr) / 1000n);
}
