// Without --url the CLI starts its own sockscope in this process: the app on 127.0.0.1, a free port, a fresh token.
import { generateToken } from '../config';
import { startServer } from '../start-server';

export interface Embedded {
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startEmbedded(): Promise<Embedded> {
  const token = generateToken();
  const { url, close } = await startServer({ host: '127.0.0.1', port: 0, token }, { logger: false, uiDir: null });
  return { url, token, close };
}
