// The typed REST client, importable as `sockscope/client` (TypeScript source: for tsx, vite and other TS toolchains).
export { SockscopeClient, type ClientOptions, type ConnectionAction } from './client';
export { SockscopeError, type SockscopeErrorCode } from './errors';
export type {
  ConnectionRow,
  ExpectBody,
  ExpectReply,
  ExpectSeen,
  ListenerRow,
  OpenConnectionBody,
  OpenListenerBody,
  RunResult,
  RunScenarioBody,
  ScenarioCheckReply,
  SendBody,
  SendReply,
  Session,
  SessionReport,
  StepResult,
} from '../index';
