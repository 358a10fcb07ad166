/**
 * Wires `flower models` (the report lives in providers/models-report.ts, its runner in
 * ./models.ts) with the same `--config` option and fallbacks as `serve`.
 */
import type { Command } from 'commander';
import { resolvePaths } from '../../config/paths.ts';
import { modelsCommandSpec, runModelsCommand } from './models.ts';

export function modelsCommand(program: Command): void {
  program
    .command(modelsCommandSpec.name)
    .description(modelsCommandSpec.description)
    .option('--config <file>', 'YAML config with providers and models (env FLOWER_CONFIG)')
    .action(async (flags: { config?: string }) => {
      const { loadConfig } = await import('../../config/config.ts');
      const env = process.env;
      await runModelsCommand({
        loadConfig: () => loadConfig(resolvePaths({ configFile: flags.config }, env).configFile).config,
        env,
        out: (line) => process.stdout.write(`${line}\n`),
      });
    });
}
