/**
 * Wires `flower token create|list|revoke` (run by ./token.ts, loaded when one of them runs, so the
 * store is not loaded for the other subcommands).
 */
import type { Command } from 'commander';
import { DEFAULT_PORT } from '../../protocol/transport.ts';
import type { CreateOptions, DataDirOption, TokenCommandDeps } from './token.ts';

export const tokenCommandSpec = {
  name: 'token',
  description: 'Create, list and revoke access tokens for sharing the engine with other players',
} as const;

export function tokenCommand(program: Command): void {
  const deps = (): TokenCommandDeps => ({ env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) });
  const token = program.command(tokenCommandSpec.name).description(tokenCommandSpec.description);
  token
    .command('create <profile>')
    .description('Create a token for a profile and print it once, with how to connect')
    .option('--label <label>', 'a note to tell tokens apart (e.g. who has it)')
    .option('--host <host>', 'the address players reach this engine at, for the printed URL (default: this machine\'s name)')
    .option('--port <port>', `the engine's port, for the printed URL (default ${DEFAULT_PORT})`)
    .option('--data-dir <dir>', 'where the engine keeps its database')
    .action(async (profile: string, options: CreateOptions) => {
      process.exitCode = (await import('./token.ts')).runTokenCreate(profile, options, deps());
    });
  token
    .command('list')
    .description('List tokens: id, profile, label, created, last used, revoked (never the token)')
    .option('--data-dir <dir>', 'where the engine keeps its database')
    .action(async (options: DataDirOption) => {
      process.exitCode = (await import('./token.ts')).runTokenList(options, deps());
    });
  token
    .command('revoke <id>')
    .description('Revoke a token by its id (or a unique prefix of at least 4 characters)')
    .option('--data-dir <dir>', 'where the engine keeps its database')
    .action(async (id: string, options: DataDirOption) => {
      process.exitCode = (await import('./token.ts')).runTokenRevoke(id, options, deps());
    });
}
