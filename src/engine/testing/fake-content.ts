/** A ContentSource for tests: content built in code, replaceable, with a watch that tests trigger. */
import type { Character, Content, ContentLoad, ContentWarning, Rule, World } from '../content.ts';
import type { ContentSource } from '../ports.ts';

export const testWorld = (id: string, extra: Partial<World> = {}): World => ({
  id,
  name: `World ${id}`,
  lore: '',
  startMessage: '',
  alternateGreetings: [],
  scene: '',
  systemPrompt: '',
  entries: [],
  narratorName: '',
  extra: {},
  ...extra,
});

export const testCharacter = (id: string, extra: Partial<Character> = {}): Character => ({
  id,
  name: `Character ${id}`,
  persona: `The persona of ${id}.`,
  ...extra,
});

export const testRule = (id: string, prompt = `Rule ${id} applies.`): Rule => ({ id, name: `Rule ${id}`, prompt });

const byId = <T extends { id: string }>(items: T[]): Map<string, T> => new Map(items.map((item) => [item.id, item]));

/** Two worlds (one with lore, a start message and a scene), three characters, three rules. */
export function sampleContent(): Content {
  return {
    worlds: byId([
      testWorld('castle', {
        name: 'The Castle',
        lore: [
          'The castle of Ardent stands on a cliff above the grey sea.',
          'Its lord, Baron Vell, hoards silver in the eastern vault.',
          'The eastern vault is guarded by a stone golem that wakes at the sound of bells.',
          'Fishermen in the village below speak of a drowned chapel under the waves.',
        ].join('\n'),
        startMessage: 'Rain lashes the drawbridge as you arrive.',
        scene: 'SCENE: the drawbridge at dusk, guards watching.',
        systemPrompt: 'CASTLE SYSTEM PROMPT: gothic tone.',
      }),
      testWorld('station', { name: 'Orbital Station', lore: 'Station Kepra orbits a gas giant.', systemPrompt: 'STATION PROMPT' }),
    ]),
    characters: byId([
      testCharacter('knight', { name: 'Sir Alric', persona: 'A weary knight with a broken oath.' }),
      testCharacter('thief'),
      testCharacter('pilot'),
    ]),
    rules: byId([testRule('grim', 'GRIM: the world is dark and unforgiving.'), testRule('humor'), testRule('nsfw', 'NSFW allowed.')]),
    systemRules: 'BASE RULES: never act for the player.',
  };
}

export class FakeContent implements ContentSource {
  private content: Content;
  private warnings: ContentWarning[];
  private failure: Error | undefined;
  private readonly watchers = new Set<() => void>();
  loads = 0;

  constructor(content: Content = sampleContent(), warnings: ContentWarning[] = []) {
    this.content = content;
    this.warnings = warnings;
  }

  load(): ContentLoad {
    this.loads++;
    if (this.failure) throw this.failure;
    return { content: this.content, warnings: this.warnings };
  }

  watch(onChange: () => void): () => void {
    this.watchers.add(onChange);
    return () => this.watchers.delete(onChange);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Replaces the content (or makes loading fail) and tells watchers files changed. */
  change(next: Content | Error, warnings: ContentWarning[] = []): void {
    if (next instanceof Error) this.failure = next;
    else {
      this.failure = undefined;
      this.content = next;
      this.warnings = warnings;
    }
    for (const watcher of this.watchers) watcher();
  }
}
