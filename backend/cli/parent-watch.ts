// Under npm the server ends with the npm process that started it. `npm start` and `npm run serve` exec it (npm -> node),
// so npm's forwarded SIGTERM reaches it; npx runs a bin through `sh -c`, and that shell dies of npm's SIGTERM without
// passing it on, handing the server to init. Watching for that is the one way to end with the parent then.

/** How often the parent is checked: Node has no event for "my parent exited" (Linux's PR_SET_PDEATHSIG is not exposed). */
export const PARENT_CHECK_MS = 250;

/** Calls `orphaned` once this process has a new parent (the old one exited); the timer never keeps Node alive. */
export function watchParent(orphaned: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    orphaned();
  }, PARENT_CHECK_MS);
  timer.unref();
}
