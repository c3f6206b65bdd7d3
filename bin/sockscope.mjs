#!/usr/bin/env node
// `sockscope` / `npx sockscope`: the CLI, in this process, with this process's arguments.
import { runCli } from './run-cli.mjs';

await runCli(process.argv.slice(2));
