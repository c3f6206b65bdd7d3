// Deterministic bytes (xorshift32) for transfer tests: a lost, repeated, reordered or overwritten chunk cannot match
// by chance, and a failure replays the same bytes.
export function pseudoRandom(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
