// A socket error as data: what the OS (or our connect timer) said, when, and in which state.
import { Type, type Static } from 'typebox';

export const ExplanationSchema = Type.Object({
  title: Type.String({ description: 'Short human name, e.g. "Connection refused"' }),
  cause: Type.String({ description: 'What usually makes this happen' }),
  fix: Type.String({ description: 'What to do about it' }),
});
export type Explanation = Static<typeof ExplanationSchema>;

export const FaultSchema = Type.Object({
  code: Type.String({ description: 'errno name as Node reports it, e.g. ECONNREFUSED, or a Node ERR_* code' }),
  errno: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'Positive errno number from os.constants.errno (111 for ECONNREFUSED on Linux); null when the code is not an errno',
  }),
  syscall: Type.Union([Type.String(), Type.Null()], {
    description: 'connect, read, write, listen, bind, getaddrinfo...',
  }),
  address: Type.Union([Type.String(), Type.Null()]),
  port: Type.Union([Type.Integer(), Type.Null()]),
  message: Type.String(),
  state: Type.String({ description: 'State of the socket or listener when the error happened' }),
  at: Type.Integer({ description: 'Microseconds since the Unix epoch' }),
  explanation: Type.Union([ExplanationSchema, Type.Null()]),
});
export type Fault = Static<typeof FaultSchema>;
