// `tsx backend/server.ts [flags]`: the same as `sockscope serve [flags]` (backend/cli/serve.ts), without the CLI around it.
import { processIo } from './cli/commands';
import { serve } from './cli/serve';

const code = await serve(process.argv.slice(2), processIo, process.env);
if (code !== null) process.exitCode = code;
