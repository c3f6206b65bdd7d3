// One framed message as REST returns it (GET /messages, expect with a message condition).
import { Type, type Static } from 'typebox';
import { MAX_LISTED_READS } from './framing/read-list';

/** Present only when `reads` leaves some out. */
export const ReadCountSchema = Type.Integer({
  minimum: 1,
  description: `How many reads the bytes spanned, when more than the ${MAX_LISTED_READS} that \`reads\` lists`,
});

export const MessageSchema = Type.Object({
  index: Type.Integer({ minimum: 1, description: 'Per direction, 1 for the first message since the rule was set' }),
  start: Type.Integer({ minimum: 0, description: 'Stream offset of the first byte of the frame (header included)' }),
  end: Type.Integer({ minimum: 0, description: 'Stream offset just past the frame (delimiter included)' }),
  payloadOffset: Type.Integer({ minimum: 0, description: 'Stream offset of the first payload byte' }),
  reads: Type.Array(Type.Integer({ minimum: 1 }), {
    description: `Chunk indexes (as in /chunks) the frame spanned; past ${MAX_LISTED_READS}, the first and the last ${MAX_LISTED_READS / 2}`,
  }),
  readCount: Type.Optional(ReadCountSchema),
  length: Type.Integer({ minimum: 0, description: 'Payload bytes' }),
  data: Type.String({ description: 'The payload (header and delimiter left out), base64' }),
});
export type Message = Static<typeof MessageSchema>;
