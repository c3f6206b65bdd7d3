// The 4-byte big-endian length-prefixed protocol the framing tests speak, written by hand rather than by the code
// under test.
import type { FramingRule } from '../../shared';

/** The framing rule for this protocol, as the API takes it. */
export const LEN4: FramingRule = { kind: 'length', bytes: 4, endian: 'big', includesHeader: false };

/** The classic send_message: a 4-byte big-endian length, then the payload (UTF-8). */
export const sendMessage = (payload: string): Buffer => {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
};

/** A frame that never finishes: the 4-byte big-endian header announces `length` payload bytes, then `sent` of them. */
export function unfinishedFrame(length: number, sent: number): Buffer {
  const frame = Buffer.alloc(4 + sent, 0x61);
  frame.writeUInt32BE(length, 0);
  return frame;
}
