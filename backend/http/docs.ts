// OpenAPI document (/api/openapi.json) and Swagger UI (/api/docs), generated from the same TypeBox schemas the routes validate with.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** Register before any route: @fastify/swagger collects routes as they are added. */
export async function registerDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sockscope',
        version,
        description:
          'Real TCP connections and listeners, their states, bytes and errno. Times are integer microseconds since the ' +
          'Unix epoch; bytes are base64. Every route but /api/health needs the token.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'The token sockscope printed at start' },
        },
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'meta' },
        { name: 'sockets' },
        { name: 'listeners' },
        { name: 'connections' },
        { name: 'framing' },
        { name: 'responders' },
        { name: 'events' },
        { name: 'host' },
        { name: 'expect' },
        { name: 'sessions' },
        { name: 'scenarios' },
        { name: 'lab' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { persistAuthorization: false } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
