// What the capture caps count for the chunks held: each chunk's payload plus its heap overhead (CHUNK_OVERHEAD_BYTES).
import { CHUNK_OVERHEAD_BYTES, type Chunk } from '../../shared';

export const accounted = (chunks: readonly Pick<Chunk, 'length'>[]): number =>
  chunks.reduce((n, c) => n + c.length + CHUNK_OVERHEAD_BYTES, 0);
