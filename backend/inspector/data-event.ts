// socket/data events carry the chunk as base64, but most are never serialised (no subscriber, or one that is behind):
// encode only when read, from the very Buffer the capture holds (no copy). Profiling B1 showed per-chunk base64
// and the garbage it made as the largest cost of reading; a closure per event (defineProperty) was the next, so the
// lazy field is a class accessor instead.
import type { Direction, EventOf, UnsequencedEvent } from '../../shared';

type DataEvent = EventOf<'socket/data'>;
type UnsequencedData = Extract<UnsequencedEvent, { type: 'socket/data' }>;

class LazyDataEvent {
  readonly type = 'socket/data' as const;
  declare seq: number; // stamped by the event log
  #bytes: Buffer;

  constructor(
    readonly at: number,
    readonly id: string,
    readonly direction: Direction,
    readonly index: number,
    readonly offset: number,
    readonly length: number,
    bytes: Buffer,
  ) {
    this.#bytes = bytes;
  }

  readonly truncated = false;

  // Not memoised: the stream serialises each event once (StreamEncoder), and a kept string would sit in the replay
  // log beside the bytes its payload budget counts.
  get data(): string {
    return this.#bytes.toString('base64');
  }

  get bytes(): Buffer {
    return this.#bytes;
  }

  /** JSON.stringify and structured logs see a plain event, payload included. */
  toJSON(): DataEvent {
    const { type, seq, at, id, direction, index, offset, length, data, truncated } = this;
    return { type, seq, at, id, direction, index, offset, length, data, truncated };
  }
}

/** A data event whose `data` is encoded on first read; JSON.stringify and schema serialisers see a string. */
export function dataEvent(
  at: number,
  id: string,
  direction: Direction,
  index: number,
  offset: number,
  bytes: Buffer,
): UnsequencedData {
  return new LazyDataEvent(at, id, direction, index, offset, bytes.length, bytes) as unknown as UnsequencedData;
}

/** The chunk's bytes: the Buffer itself for an event made here, else decoded from base64. */
export function payloadOf(e: DataEvent): Buffer {
  return e instanceof LazyDataEvent ? e.bytes : Buffer.from(e.data, 'base64');
}

/** The same event with its length and counts but without the bytes, built without encoding them first. */
export function withoutPayload(e: DataEvent): DataEvent {
  return {
    type: e.type,
    seq: e.seq,
    at: e.at,
    id: e.id,
    direction: e.direction,
    index: e.index,
    offset: e.offset,
    length: e.length,
    data: '',
    truncated: true,
  };
}
