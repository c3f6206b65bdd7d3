// Reads a socket into one buffer sockscope owns instead of a fresh 64 KiB allocation per read. Node allocates a new
// buffer for every read; sockscope keeps what it reads (the capture), so those buffers lived long enough to be
// promoted and were freed only by full GCs, every 30 ms or so under a bulk transfer. Profiling B1 (a 1 GiB push) put
// sockscope at 0.55-0.7 x a plain Node sink for that reason; reading into a reused buffer and copying each chunk once
// into the capture's recycled slabs (capture.ts) took it to about 1 x.
//
// Node offers this as `onread` for sockets it connects, not for those a server accepts. Both kinds carry the same
// fields (the symbols below, set in net.Socket's constructor) and the handle's useUserBuffer(), so the accepted
// socket is switched over the way `onread` does it. If a Node release changes that, readInto() says so by returning
// false and the caller keeps reading through 'data' events: slower, never wrong (test/backend/inspector/read-into.test.ts
// fails loudly if the fast path stops being taken).
import type net from 'node:net';

/** The largest read: what libuv asks for per read, and what Node's own reads allocate. */
export const READ_BUFFER_BYTES = 64 * 1024;

// One for the process: reads run one at a time on the event loop, and each is handed on (and copied if kept)
// before the next begins.
const shared = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);

interface UserBufferHandle {
  useUserBuffer?: (buffer: Uint8Array) => void;
}

/**
 * From now on `onRead` gets each read as a view of the shared buffer, valid only until it returns. The socket's
 * 'end', 'error', 'close', pause() and resume() behave as before; 'data' is no longer emitted.
 */
export function readInto(socket: net.Socket, onRead: (view: Buffer) => void): boolean {
  const symbols = Object.getOwnPropertySymbols(socket);
  const kBuffer = symbols.find((s) => s.description === 'kBuffer');
  const kBufferCb = symbols.find((s) => s.description === 'kBufferCb');
  const handle = (socket as unknown as { _handle?: UserBufferHandle | null })._handle;
  if (!kBuffer || !kBufferCb || typeof handle?.useUserBuffer !== 'function') return false;
  const fields = socket as unknown as Record<symbol, unknown>;
  if (fields[kBuffer] !== null && fields[kBuffer] !== undefined) return false; // already reading into a buffer
  fields[kBuffer] = shared;
  fields[kBufferCb] = (nread: number, buffer: Buffer) => {
    onRead(buffer.subarray(0, nread));
  };
  handle.useUserBuffer(shared);
  return true;
}
