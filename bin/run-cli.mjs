// Runs the TypeScript CLI (backend/cli/main.ts) in this process through tsx, for bin/sockscope.mjs and npm start.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

/** Runs one command line (`['serve', '--port', '0']`) and sets the exit code; `serve` keeps running until a signal. */
export async function runCli(argv) {
  // `sockscope lab --list | head`: a reader that went away is no error.
  process.stdout.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });

  const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
  register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });

  const { main } = await import('../backend/cli/main.ts');
  const code = await main(argv);
  if (code !== null) {
    process.exitCode = code;
    // Normally nothing is left and the process ends here; if a handle lingers, do not hang the shell.
    setTimeout(() => process.exit(code), 3000).unref();
  }
}
