// socket/data events carry the chunk as base64, but most are never serialised (no subscriber, or one that is behind):
// encode only when read, from the very Buffer the capture holds (no copy). Profiling B1 showed per-chunk base64
// and the garbage it made as the largest cost of reading; a closure per event (defineProperty) was the next, so the
// lazy field is a class accessor instead.
import type { Direction, EventOf, InspectorEvent, UnsequencedEvent } from '../../shared';
import type { ConnectionCapture } from './capture';

type DataEvent = EventOf<'socket/data'>;
type UnsequencedData = Extract<UnsequencedEvent, { type: 'socket/data' }>;

class LazyDataEvent {
  readonly type = 'socket/data' as const;
  declare seq: number; // stamped by the event log
  /** The event's own bytes; null for a recycled chunk, which is read from the capture while it holds it. */
  #bytes: Buffer | null;
  /** Set when the bytes are a recycled slab's (capture.ts): they are this event's only while the capture holds them. */
  #recycledBy: ConnectionCapture | null;

  constructor(
    readonly at: number,
    readonly id: string,
    readonly direction: Direction,
    readonly index: number,
    readonly offset: number,
    readonly length: number,
    bytes: Buffer,
    recycledBy: ConnectionCapture | null,
  ) {
    // A recycled chunk's view is not kept: the log would then pin a slab the pool has let go of (see below).
    this.#bytes = recycledBy ? null : bytes;
    this.#recycledBy = recycledBy;
  }

  get recycled(): boolean {
    return this.#recycledBy !== null;
  }

  /** A recycled chunk the capture has evicted since: its slab may hold other bytes now, so the payload is left out. */
  get truncated(): boolean {
    return this.#bytes === null && !this.#recycledBy?.holds(this.index);
  }

  // Not memoised: the stream serialises each event once (StreamEncoder), and a kept string would sit in the replay
  // log beside the bytes its payload budget counts.
  get data(): string {
    return this.bytes.toString('base64');
  }

  /** Empty when truncated. */
  get bytes(): Buffer {
    return this.#bytes ?? this.#recycledBy?.bytesOf(this.index) ?? EMPTY;
  }

  /** Exactly JSON.stringify(this), in half the time (the stream encodes every event; B4's profile). */
  text(): string {
    const { seq, at, id, direction, index, offset, length, data, truncated } = this;
    return `{"type":"socket/data","seq":${seq},"at":${at},"id":${JSON.stringify(id)},"direction":"${direction}","index":${index},"offset":${offset},"length":${length},"data":"${data}","truncated":${truncated}}`;
  }

  /** JSON.stringify and structured logs see a plain event, payload included. */
  toJSON(): DataEvent {
    const { type, seq, at, id, direction, index, offset, length, data, truncated } = this;
    return { type, seq, at, id, direction, index, offset, length, data, truncated };
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * A data event whose `data` is encoded on first read; JSON.stringify and schema serialisers see a string.
 * `recycledBy`: the capture whose recycled slab holds `bytes` (see `truncated`), null when the Buffer is the event's.
 */
export function dataEvent(
  at: number,
  id: string,
  direction: Direction,
  index: number,
  offset: number,
  bytes: Buffer,
  recycledBy: ConnectionCapture | null = null,
): UnsequencedData {
  return new LazyDataEvent(
    at,
    id,
    direction,
    index,
    offset,
    bytes.length,
    bytes,
    recycledBy,
  ) as unknown as UnsequencedData;
}

/** The event as JSON text. */
export function eventJson(e: InspectorEvent): string {
  return e instanceof LazyDataEvent ? e.text() : JSON.stringify(e);
}

/**
 * Whether the event carries bytes of its own that the replay log must count against its payload budget: not when
 * they are left out, nor when they are a recycled slab's (the capture's caps bound those, and they drop out by
 * themselves). Stable over the event's life, so what the log adds when storing it is what it takes off later.
 */
export function ownsPayload(e: InspectorEvent): boolean {
  if (e.type !== 'socket/data') return false;
  return e instanceof LazyDataEvent ? !e.recycled : !e.truncated;
}

/** The chunk's bytes: the Buffer itself for an event made here, else decoded from base64 (empty when truncated). */
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
