// The only import path into shared/ for backend and frontend.
export * from './ids';
export * from './socket-state';
export * from './fault';
export * from './nullable';
export * from './rows';
export * from './tcp-state';
export * from './kernel';
export * from './events';
export * from './rest';
export * from './limits';
export * from './errno';
export * from './bytes';
export * from './codec';
export * from './framing';
export * from './time';
export * from './check';
export * from './responders';
