/** `flower serve`: run the engine alone, for any client of protocol v1. */
import type { Command } from 'commander';
import { DEFAULT_PORT, RPC_PATH } from '../../protocol/transport.ts';
import { parsePort, portFromEnv } from '../options.ts';

export const serveCommandSpec = {
  name: 'serve',
  description: `Run the engine alone: a WebSocket server at ws://HOST:PORT${RPC_PATH}`,
} as const;

interface ServeFlags {
  host?: string;
  port?: number;
  dataDir?: string;
  config?: string;
}

export function serveCommand(program: Command): void {
  program
    .command(serveCommandSpec.name)
    .description(serveCommandSpec.description)
    .option('--host <host>', 'address to listen on (env FLOWER_HOST; default 127.0.0.1, loopback only)')
    .option('--port <port>', `port to listen on (env FLOWER_PORT; default ${DEFAULT_PORT})`, parsePort)
    .option('--data-dir <dir>', 'database, logs and content (env FLOWER_DATA_DIR; default: your XDG data dir)')
    .option('--config <file>', 'YAML config with providers and models (env FLOWER_CONFIG; default: <XDG config dir>/config.yaml)')
    .action(async (flags: ServeFlags) => {
      // Loaded here, not at the top: the engine's modules are not needed by the other subcommands.
      const { runServe } = await import('../../app/serve.ts');
      const env = process.env;
      const served = await runServe({
        host: flags.host || env.FLOWER_HOST || '127.0.0.1',
        port: flags.port ?? portFromEnv(env) ?? DEFAULT_PORT,
        dataDir: flags.dataDir,
        configFile: flags.config,
        env,
        stdout: process.stdout,
        stderr: process.stderr,
        handleSignals: true,
      });
      process.exitCode = await served.stopped;
    });
}
