// The built UI (public code: every piece of data sits behind /api), or a page saying how to build it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sockscope</title><link rel="icon" href="data:,"></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem">
<h1>sockscope</h1>
<p>The UI is not built. Run <code>npm run build</code> and reload this page.</p>
<p>The API works meanwhile: see <a href="/api/docs">/api/docs</a>.</p>
</body></html>
`;

export async function registerUi(app: FastifyInstance, uiDir: string | null): Promise<void> {
  const built = uiDir !== null && existsSync(join(uiDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: uiDir, index: false, wildcard: true, schemaHide: true });
  }
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    if (built) return reply.sendFile('index.html');
    return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
  });
}
