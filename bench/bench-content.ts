/** The content the engine benchmarks run with: the world and character the datasets belong to. */
import { DEFAULT_SYSTEM_RULES } from '../src/content/default-system-rules.ts';
import type { Content, ContentLoad } from '../src/engine/content.ts';
import type { ContentSource, Logger } from '../src/engine/ports.ts';
import { testCharacter, testWorld } from '../src/engine/testing/fake-content.ts';
import { BENCH_CHARACTER, BENCH_WORLD } from './dataset.ts';

export function benchContent(): Content {
  // The world's lore is empty: its 100,000 chunks are in the dataset as attached lore, which
  // start-up indexing leaves alone (re-cutting 80 MB of lore text at each start is not a turn cost).
  const world = testWorld(BENCH_WORLD, {
    name: 'The Long Campaign',
    systemPrompt: 'Narrate a sprawling low-fantasy realm of feuding houses, old roads and older secrets.',
    scene: 'A crossroads inn at dusk, rain on the shutters.',
  });
  const hero = testCharacter(BENCH_CHARACTER, { name: 'Maren', persona: 'A former royal cartographer, sharp-eyed and in debt.' });
  return { worlds: new Map([[world.id, world]]), characters: new Map([[hero.id, hero]]), rules: new Map(), systemRules: DEFAULT_SYSTEM_RULES };
}

export const benchContentSource = (): ContentSource => ({ load: (): ContentLoad => ({ content: benchContent(), warnings: [] }) });

/** Keeps warnings and errors (a benchmark that hit one says so); drops the rest. */
export function quietLogger(): Logger & { problems: string[] } {
  const problems: string[] = [];
  return {
    problems,
    info: () => {},
    warn: (message, fields) => problems.push(`warn: ${message} ${JSON.stringify(fields ?? {})}`),
    error: (message, fields) => problems.push(`error: ${message} ${JSON.stringify(fields ?? {})}`),
  };
}
