/**
 * `flower models`: lists the models each provider offers now and why a provider is missing.
 * The CLI registry wires this in; the report itself lives in providers/models-report.ts.
 */
import type { Command } from 'commander';
import type { ProvidersConfig } from '../../config/providers-config.ts';

export interface ModelsCommandDeps {
  /** Loads (and validates) the config file the other options point at. */
  loadConfig(): ProvidersConfig | Promise<ProvidersConfig>;
  env: Record<string, string | undefined>;
  out(line: string): void;
}

export const modelsCommandSpec = {
  name: 'models',
  description: 'List the models available from each provider, and why a provider is missing',
} as const;

export async function runModelsCommand(deps: ModelsCommandDeps): Promise<void> {
  // Loaded here, not at the top: the provider modules are not needed by the other subcommands.
  const { runModelsReport } = await import('../../providers/models-report.ts');
  await runModelsReport(await deps.loadConfig(), deps.env, deps.out);
}

export function modelsCommand(program: Command, deps: ModelsCommandDeps): void {
  program
    .command(modelsCommandSpec.name)
    .description(modelsCommandSpec.description)
    .action(() => runModelsCommand(deps));
}
