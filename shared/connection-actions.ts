// The actions a connection takes by name (POST /api/connections/:id/<action>): the routes, the client and the UI all
// read this one list, so an action added here is a route, a client method's argument and a case the UI must handle.
export const CONNECTION_ACTIONS = ['shutdown', 'close', 'reset', 'pause', 'resume'] as const;
export type ConnectionAction = (typeof CONNECTION_ACTIONS)[number];
