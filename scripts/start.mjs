// `npm start`: build the UI, then serve it from this same process, so the tree ends with npm every time.
// npm runs a script line through `sh -c`, and sh does not pass npm's SIGTERM on to its child: the script line `exec`s
// this file (npm -> node). The server then runs here, not in a child (the tsx CLI forks a second node), so the signal
// npm forwards reaches the one process that holds the port; the build runs in a child that a signal stops too.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SIGNALS = ['SIGINT', 'SIGTERM'];
const root = fileURLToPath(new URL('..', import.meta.url));
const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));

// A child, not vite's API in this process: the build leaves a few hundred MB behind that the server would keep.
const build = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
let stoppedBy = null;
const forward = (signal) => {
  stoppedBy = signal;
  build.kill(signal);
};
for (const s of SIGNALS) process.on(s, forward);
const [code, signal] = await once(build, 'exit');
for (const s of SIGNALS) process.off(s, forward);

const stop = stoppedBy ?? signal;
// With our handlers gone, the signal ends this process the default way: npm sees which one it was.
if (stop) process.kill(process.pid, stop);
else if (code !== 0) process.exit(code ?? 1);
else {
  // The CLI's `serve` with npm start's arguments, by a call: bin/run-cli.mjs loads the TypeScript through tsx here.
  const { runCli } = await import('../bin/run-cli.mjs');
  await runCli(['serve', ...process.argv.slice(2)]);
}
