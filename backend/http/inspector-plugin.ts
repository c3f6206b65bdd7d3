// Makes the inspector reachable as app.inspector and disposes it when the app closes.
import type { FastifyInstance } from 'fastify';
import type { InspectorApi } from '../inspector/api';

declare module 'fastify' {
  interface FastifyInstance {
    inspector: InspectorApi;
  }
}

export function installInspector(app: FastifyInstance, inspector: InspectorApi): void {
  app.decorate('inspector', inspector);
  app.addHook('onClose', async () => {
    await inspector.dispose();
  });
}
