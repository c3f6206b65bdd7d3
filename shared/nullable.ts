// `T | null` as a schema; used everywhere a field is known to be absent rather than omitted.
import { Type, type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
