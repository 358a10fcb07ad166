/**
 * `flower tui --url ws://host:port/ws/rpc`: the terminal UI connected to an engine that runs
 * elsewhere (another terminal, another machine over SSH port forwarding).
 */
import type { Command } from 'commander';
import { DEFAULT_PORT, RPC_PATH } from '../../protocol/transport.ts';
import { shortenUiImports } from '../ui-imports.ts';
import { runTuiLazily } from './start.ts';

export const DEFAULT_URL = `ws://127.0.0.1:${DEFAULT_PORT}${RPC_PATH}`;

export const tuiCommandSpec = {
  name: 'tui',
  description: 'Open the terminal UI connected to a running engine',
} as const;

/** A clear `✗` line for a URL the UI cannot use, or undefined when it is fine. */
export function checkEngineUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `✗ "${url}" is not a URL. Use one like ${DEFAULT_URL}`;
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    return `✗ "${url}" uses ${parsed.protocol.replace(/:$/, '')}; the engine speaks WebSocket: use ws:// or wss://, e.g. ${DEFAULT_URL}`;
  }
  return undefined;
}

export interface TuiCommandDeps {
  runTui(options: { url: string }): Promise<number>;
  err(line: string): void;
}

export async function runTuiCommand(options: { url: string }, deps: TuiCommandDeps): Promise<number> {
  const problem = checkEngineUrl(options.url);
  if (problem) {
    deps.err(problem);
    return 1;
  }
  return deps.runTui({ url: options.url });
}

export function tuiCommand(program: Command): void {
  program
    .command(tuiCommandSpec.name)
    .description(tuiCommandSpec.description)
    .option('--url <url>', 'engine WebSocket URL', DEFAULT_URL)
    .action(async (options: { url: string }) => {
      if (process.stdin.isTTY && process.stdout.isTTY) shortenUiImports();
      process.exitCode = await runTuiCommand(options, { runTui: runTuiLazily, err: (line) => console.error(line) });
    });
}
