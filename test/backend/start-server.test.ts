// startServer: the server by a function call (the CLI's serve and the embedded server use it), nothing on import.
import { refused } from '../helpers/loopback';
import { describe, expect, it } from 'vitest';
import { ListenError, startServer } from '../../backend/start-server';

const TOKEN = 'abcdefghijklmnop1234';

describe('startServer', () => {
  it('listens, answers, and closes on close(); it leaves the signals to whoever owns the process', async () => {
    const signals = () => [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
    const before = signals();
    // Importing the serve command must not start anything either (server.ts used to start on import).
    await import('../../backend/cli/serve');
    const server = await startServer({ host: '127.0.0.1', port: 0, token: TOKEN }, { logger: false, uiDir: null });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const info = await fetch(`${server.url}/api/info`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(info.status).toBe(200);
      expect(signals()).toEqual(before);
    } finally {
      await server.close();
    }
    expect(await refused(server.port)).toBe(true);
  });

  it('refuses a taken port with a ListenError naming it and the flag to change', async () => {
    const first = await startServer({ host: '127.0.0.1', port: 0, token: TOKEN }, { logger: false, uiDir: null });
    try {
      const second = startServer({ host: '127.0.0.1', port: first.port, token: TOKEN }, { logger: false, uiDir: null });
      await expect(second).rejects.toBeInstanceOf(ListenError);
      await expect(second).rejects.toThrow(
        `port ${first.port} is already in use (EADDRINUSE); pick another with --port N`,
      );
    } finally {
      await first.close();
    }
  });
});
