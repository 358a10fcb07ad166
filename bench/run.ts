/**
 * `npm run bench` — runs the benchmarks, prints one table (each figure next to its baseline
 * measured in the same run, and the issue-7 target where there is one) and writes every figure
 * and raw summary to `.bench/results/latest.json` (gitignored).
 *
 *   npm run bench                      all benchmarks, full sizes
 *   npm run bench -- --quick           CI-sized: smaller datasets and fewer samples (~1 min)
 *   npm run bench -- --only turn,relay only these benchmarks
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { BENCH_DIR } from './dataset.ts';
import type { Bench, BenchContext, BenchResult, Figure } from './figure.ts';
import { formatTable } from './table.ts';

interface BenchEntry {
  name: string;
  /** Loaded when run, so a module that does not load (others mid-work) fails only its own figures. */
  load(): Promise<Bench>;
}

const BENCHES: readonly BenchEntry[] = [
  { name: 'retrieval', load: async () => (await import('./retrieval.ts')).retrievalBench },
  { name: 'quality', load: async () => (await import('./quality.ts')).qualityBench },
  { name: 'turn', load: async () => (await import('./turn.ts')).turnBench },
  { name: 'relay', load: async () => (await import('./relay.ts')).relayBench },
  { name: 'startup', load: async () => (await import('./startup.ts')).startupBench },
  { name: 'memory', load: async () => (await import('./memory.ts')).memoryBench },
  { name: 'ui', load: async () => (await import('./ui.ts')).uiBench },
  { name: 'vectors', load: async () => (await import('./vectors.ts')).vectorsBench },
];

interface Options {
  quick: boolean;
  only?: string;
}

function chosen(only: string | undefined): BenchEntry[] {
  if (!only) return [...BENCHES];
  const names = only.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`✗ Unknown benchmark ${unknown.join(', ')}. Valid: ${BENCHES.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  return BENCHES.filter((bench) => names.includes(bench.name));
}

function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

async function main(): Promise<void> {
  const program = new Command()
    .name('npm run bench --')
    .description('Flower benchmarks: figures next to baselines measured in the same run')
    .option('--quick', 'CI-sized run: smaller datasets and fewer samples', false)
    .option('--only <names>', `comma-separated benchmarks: ${BENCHES.map((b) => b.name).join(', ')}`)
    .parse();
  const options = program.opts<Options>();
  const benches = chosen(options.only);
  const ctx = (name: string): BenchContext => ({
    quick: options.quick,
    log: (message) => console.error(`[${name}] ${message}`),
  });

  const results: Record<string, BenchResult & { seconds: number; error?: string }> = {};
  const figures: Figure[] = [];
  for (const entry of benches) {
    const started = performance.now();
    try {
      const bench = await entry.load();
      console.error(`[${bench.name}] ${bench.description}`);
      const result = await bench.run(ctx(bench.name));
      results[entry.name] = { ...result, seconds: (performance.now() - started) / 1000 };
      figures.push(...result.figures);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`[${entry.name}] ✗ failed: ${message}`);
      results[entry.name] = { figures: [], details: {}, notes: [], seconds: (performance.now() - started) / 1000, error: message };
    }
  }

  const table = formatTable(figures);
  console.log(table);
  for (const [name, result] of Object.entries(results)) {
    for (const note of result.notes) console.log(`  ${name}: ${note}`);
    if (result.error) console.log(`  ${name}: ✗ failed: ${result.error.split('\n')[0]}`);
  }

  const out = join(BENCH_DIR, 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'latest.json');
  const report = { date: new Date().toISOString(), quick: options.quick, machine: machine(), loadAverage: loadAverage(), figures, results };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, json);
  // A dated copy too, so a quick run does not overwrite the last full one.
  writeFileSync(join(out, `${report.date.replace(/[:.]/g, '-')}${options.quick ? '-quick' : ''}.json`), json);
  console.log(`\nFigures written to ${file}`);
  // Benchmarks close what they open; exit anyway so a stray handle cannot hang the run.
  process.exit(Object.values(results).some((r) => r.error) ? 1 : 0);
}

/** The 1, 5 and 15 minute load averages: the machine is shared, so they say how noisy a run was. */
function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

await main();
