// The host's whole TCP table, as `ss -tan` shows it, and whether this machine offers a kernel view at all.
import { Type, type Static } from 'typebox';
import { EndpointSchema } from './rows';
import { Nullable } from './nullable';
import { TcpStateSchema } from './tcp-state';

export const HostSocketSchema = Type.Object({
  proto: Type.Union([Type.Literal('tcp'), Type.Literal('tcp6')]),
  state: TcpStateSchema,
  recvQ: Type.Integer({ minimum: 0 }),
  sendQ: Type.Integer({ minimum: 0 }),
  local: EndpointSchema,
  remote: EndpointSchema,
  uid: Type.Integer({ minimum: 0 }),
  inode: Type.Integer({ minimum: 0 }),
  pid: Nullable(Type.Integer({ minimum: 1 })),
  process: Nullable(Type.String()),
  ownerId: Nullable(
    Type.String({ description: "Id of sockscope's own listener or connection this socket belongs to" }),
  ),
});
export type HostSocket = Static<typeof HostSocketSchema>;

export const KernelAvailabilitySchema = Type.Object({
  available: Type.Boolean(),
  reason: Nullable(Type.String({ description: 'Why the kernel view is unavailable (no /proc/net/tcp, not Linux...)' })),
});
export type KernelAvailability = Static<typeof KernelAvailabilitySchema>;

export const HostSocketsReplySchema = Type.Object({
  kernel: KernelAvailabilitySchema,
  at: Type.Integer({ description: 'When /proc was read, microseconds since the Unix epoch' }),
  sockets: Type.Array(HostSocketSchema),
});
export type HostSocketsReply = Static<typeof HostSocketsReplySchema>;

export const HostSocketsQuerySchema = Type.Object(
  {
    state: Type.Optional(Type.String({ description: 'Comma-separated TCP states, e.g. TIME_WAIT,CLOSE_WAIT' })),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'Local or remote port' })),
  },
  { additionalProperties: false },
);
export type HostSocketsQuery = Static<typeof HostSocketsQuerySchema>;
