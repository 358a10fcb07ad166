/** Entry point: `npm start -- <command>` runs this through tsx (no build step). */
import { runCli } from './cli/program.ts';

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
// Explicit exit: background work (model listing, file watchers) must not keep a finished CLI alive.
process.exit(code);
