// Vite (frontend/ -> dist/) and Vitest projects. Vite's root is frontend/, so every test project sets its own root.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ProxyOptions } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const repo = fileURLToPath(new URL('.', import.meta.url));
const backend = `http://127.0.0.1:${process.env.SOCKSCOPE_PORT ?? '7070'}`;

// The backend refuses a foreign Host or Origin. In dev, pages of this dev server are presented as the backend's own;
// any other Origin passes through unchanged and stays refused. Auth: open the backend's printed URL once (the
// cookie is per host, not per port), then use the dev server on the same host name.
const sameOriginAsBackend = (proxyReq: ClientRequest, req: IncomingMessage) => {
  if (req.headers.origin === `http://${req.headers.host}`) proxyReq.setHeader('origin', backend);
};
const apiProxy: ProxyOptions = {
  target: backend,
  ws: true,
  changeOrigin: true,
  // frontend/api/*.ts are modules under the same prefix: serve those, proxy the rest.
  bypass: (req) => (/^\/api\/[^?]*\.tsx?(\?|$)/.test(req.url ?? '') ? req.url : undefined),
  configure: (proxy) => {
    proxy.on('proxyReq', sameOriginAsBackend);
    proxy.on('proxyReqWs', sameOriginAsBackend);
  },
};

export default defineConfig({
  root: 'frontend',
  cacheDir: `${repo}node_modules/.vite`,
  plugins: [react()],
  build: {
    outDir: `${repo}dist`,
    emptyOutDir: true,
    // The page is served from the user's own machine over loopback: one 670 kB script (React, TypeBox's compiler
    // for the REST replies, yaml for the lab) costs nothing worth splitting for, and the warning printed on every
    // `npm start` read like a fault.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': apiProxy },
  },
  test: {
    projects: [
      {
        root: repo,
        test: {
          name: 'node',
          // test/frontend holds pure tests (no DOM) until a jsdom `ui` project exists.
          include: ['test/shared/**/*.test.ts', 'test/backend/**/*.test.ts', 'test/frontend/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        root: repo,
        test: {
          name: 'ui',
          // React components rendered in jsdom; the real browser is the e2e project's job.
          include: ['test/ui/**/*.test.tsx'],
          environment: 'jsdom',
        },
      },
      {
        root: repo,
        test: {
          name: 'e2e',
          // Real browser and the benchmark smoke run: both heavy, one file at a time.
          include: ['test/e2e/**/*.test.ts', 'test/bench/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
