// Without --url the CLI starts its own sockscope in this process: the app on 127.0.0.1, a free port, a fresh token.
import { buildApp } from '../app';
import { generateToken } from '../config';

export interface Embedded {
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startEmbedded(): Promise<Embedded> {
  const token = generateToken();
  const app = await buildApp({ token, uiDir: null, logger: false });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (e) {
    await app.close().catch(() => {});
    throw e;
  }
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, token, close: () => app.close() };
}
