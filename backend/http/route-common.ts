// Schema pieces every REST route shares: id params, the empty body of actions, documented error replies.
import { Type } from 'typebox';
import { ApiErrorSchema } from '../../shared';
import type { InspectorApi } from '../inspector/api';

export const IdParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 40, description: 'Connection id (c-N) or listener id (l-N)' }) },
  { additionalProperties: false },
);

/** Actions take no body; `{}` is accepted for clients that always send JSON, anything else is an unknown field. */
export const NoBodySchema = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })], {
  description: 'No body, or {}',
});

export const errorReplies = {
  '4xx': ApiErrorSchema,
  '5xx': ApiErrorSchema,
} as const;

/** preHandler of routes that read rows: a fresh /proc/net/tcp read first (at most one per 50 ms): current truth. */
export const freshKernel = (inspector: InspectorApi) => async (): Promise<void> => {
  await inspector.refreshKernel();
};
