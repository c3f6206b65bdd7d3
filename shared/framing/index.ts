// Framing: rules, incremental decoders and encoders (pure; shared by backend and browser).
export * from './rule';
export * from './decoder';
export * from './encoder';
export * from './pending-budget';
export * from './read-list';
