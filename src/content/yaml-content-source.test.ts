import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_RULES } from './default-system-rules.ts';
import { SHIPPED_ASSETS_DIR } from './ensure-assets.ts';
import { characterYaml, makeTempAssets, recordingLogger, ruleYaml, worldYaml, type TempAssets } from './test-support.ts';
import { createYamlContentSource } from './yaml-content-source.ts';

let assets: TempAssets;
beforeEach(() => {
  assets = makeTempAssets();
});
afterEach(() => {
  assets.cleanup();
});

const load = (options: { maxFileBytes?: number } = {}) =>
  createYamlContentSource({ assetsDir: assets.dir, logger: recordingLogger(), ...options }).load();

const writeValidSet = () => {
  assets.write('worlds/good.yaml', worldYaml('good'));
  assets.write('characters/hero.yaml', characterYaml('hero'));
  assets.write('rules/grim.yaml', ruleYaml('grim'));
};

describe('the shipped example content', () => {
  it('loads with no warnings and offers two worlds, three characters and four rules including nsfw', () => {
    const { content, warnings } = createYamlContentSource({ assetsDir: SHIPPED_ASSETS_DIR, logger: recordingLogger() }).load();
    expect(warnings).toEqual([]);
    expect(content.worlds.size).toBeGreaterThanOrEqual(2);
    expect(content.characters.size).toBeGreaterThanOrEqual(3);
    expect(content.rules.size).toBeGreaterThanOrEqual(4);
    expect(content.rules.has('nsfw')).toBe(true);
    expect(content.worlds.has('fantasy_world')).toBe(true);
    for (const world of content.worlds.values()) {
      expect(world.lore.length, world.id).toBeGreaterThan(3000);
      expect(world.startMessage.length, world.id).toBeGreaterThan(200);
      expect(world.scene.length, world.id).toBeGreaterThan(100);
      expect(world.systemPrompt.length, world.id).toBeGreaterThan(100);
    }
    expect([...content.worlds.values()].some((world) => world.entries.length >= 3)).toBe(true);
  });

  it('ships base rules that keep the narrative principles and do not force adult content', () => {
    const { content } = createYamlContentSource({ assetsDir: SHIPPED_ASSETS_DIR, logger: recordingLogger() }).load();
    for (const text of [content.systemRules, DEFAULT_SYSTEM_RULES]) {
      expect(text).toMatch(/never act, speak/i);
      expect(text).toMatch(/2-4 paragraphs/);
      expect(text).toMatch(/consequences/i);
      expect(text).not.toMatch(/nsfw|explicit|sexual/i);
    }
  });
});

describe('loading', () => {
  it('converts a world file to the engine type, keeping unknown fields in extra', () => {
    assets.write('worlds/w.yaml', worldYaml('w', 'alternate_greetings: [Hi, Hey]\nnarrator_name: Ana\ncreator: someone\n'));
    const { content, warnings } = load();
    expect(warnings).toEqual([]);
    expect(content.worlds.get('w')).toEqual({
      id: 'w',
      name: 'World w',
      lore: 'Lore of w.\n',
      startMessage: 'Hello from w.',
      alternateGreetings: ['Hi', 'Hey'],
      scene: 'A scene.',
      systemPrompt: 'Be vivid.',
      entries: [],
      narratorName: 'Ana',
      extra: { creator: 'someone' },
    });
  });

  it('accepts .yml files and ignores other files and dotfiles', () => {
    assets.write('worlds/a.yml', worldYaml('a'));
    assets.write('worlds/notes.txt', 'not content');
    assets.write('worlds/.b.yaml.swp', worldYaml('b'));
    const { content, warnings } = load();
    expect(warnings).toEqual([]);
    expect([...content.worlds.keys()]).toEqual(['a']);
  });

  it('treats empty optional world fields as empty text', () => {
    assets.write('worlds/w.yaml', 'id: w\nname: W\nlore: L\nstart_message: S\nscene:\nentries:\n');
    const { content, warnings } = load();
    expect(warnings).toEqual([]);
    expect(content.worlds.get('w')).toMatchObject({ scene: '', systemPrompt: '', entries: [], narratorName: '' });
  });

  it('uses the built-in base rules when system_rules.yaml is missing, without a warning', () => {
    writeValidSet();
    const { content, warnings } = load();
    expect(warnings).toEqual([]);
    expect(content.systemRules).toBe(DEFAULT_SYSTEM_RULES);
  });

  it('reads the base rules from the prompt field of system_rules.yaml', () => {
    assets.write('system_rules.yaml', 'prompt: Be kind.\n');
    expect(load().content.systemRules).toBe('Be kind.');
  });

  it('warns and uses the built-in base rules when system_rules.yaml is broken', () => {
    assets.write('system_rules.yaml', 'text: Be kind.\n');
    const { content, warnings } = load();
    expect(content.systemRules).toBe(DEFAULT_SYSTEM_RULES);
    expect(warnings).toEqual([
      { file: 'system_rules.yaml', problem: "missing required field 'prompt'; using the built-in base rules" },
    ]);
  });

  it('warns when the assets folder does not exist, and loads nothing', () => {
    const source = createYamlContentSource({ assetsDir: join(assets.root, 'nope'), logger: recordingLogger() });
    const { content, warnings } = source.load();
    expect(content.worlds.size).toBe(0);
    expect(content.systemRules).toBe(DEFAULT_SYSTEM_RULES);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.problem).toMatch(/assets folder not found/);
  });
});

describe('a broken file is skipped with a precise warning and the rest loads', () => {
  const cases: { name: string; file: string; text: string; problem: string | RegExp }[] = [
    { name: 'bad YAML', file: 'worlds/bad.yaml', text: 'id: bad\nname: [unclosed\n', problem: /^invalid YAML: .*line \d+, column \d+$/ },
    { name: 'a duplicate key', file: 'rules/bad.yaml', text: 'id: bad\nid: again\nname: R\nprompt: P\n', problem: /^invalid YAML: Map keys must be unique at line 2/ },
    { name: 'several documents', file: 'rules/bad.yaml', text: `${ruleYaml('a')}---\n${ruleYaml('b')}`, problem: 'more than one YAML document (---); put one object in each file' },
    { name: 'an empty file', file: 'characters/bad.yaml', text: '', problem: 'file is empty' },
    { name: 'a list instead of a mapping', file: 'characters/bad.yaml', text: '- id: x\n', problem: 'file must hold a mapping of fields (key: value), not a list' },
    { name: 'a missing id', file: 'characters/bad.yaml', text: 'name: N\npersona: P\n', problem: "missing required field 'id'" },
    { name: 'a wrong type', file: 'worlds/bad.yaml', text: worldYaml('bad').replace('lore: |\n  Lore of bad.\n', 'lore: [a, b]\n'), problem: "field 'lore' must be a string (got a list)" },
    { name: 'a number id', file: 'rules/bad.yaml', text: 'id: 42\nname: R\nprompt: P\n', problem: "field 'id' must be a string (got number 42)" },
    { name: 'an id with a path in it', file: 'rules/bad.yaml', text: 'id: ../../etc\nname: R\nprompt: P\n', problem: "field 'id' must use only letters, digits, '_' and '-' (1 to 128 characters) (got '../../etc')" },
    { name: 'an id with a space', file: 'characters/bad.yaml', text: 'id: my hero\nname: N\npersona: P\n', problem: "field 'id' must use only letters, digits, '_' and '-' (1 to 128 characters) (got 'my hero')" },
    { name: 'an empty name', file: 'characters/bad.yaml', text: "id: x\nname: ''\npersona: P\n", problem: "field 'name' must not be empty" },
    { name: 'a bad selective_logic', file: 'worlds/bad.yaml', text: worldYaml('bad', 'entries:\n  - keys: [a]\n    content: c\n    selective_logic: maybe\n'), problem: "field 'entries[0].selective_logic' must be one of and_any, and_all, not_any, not_all (got 'maybe')" },
    { name: 'an entry without content', file: 'worlds/bad.yaml', text: worldYaml('bad', 'entries:\n  - keys: [a]\n'), problem: "missing required field 'entries[0].content'" },
    { name: 'a bad regex key', file: 'worlds/bad.yaml', text: worldYaml('bad', 'entries:\n  - keys: [ok, "/(unclosed/i"]\n    content: c\n'), problem: /^field 'entries\[0\]\.keys\[1\]' is not a valid regular expression: .* \(got '\/\(unclosed\/i'\)$/ },
    { name: 'a negative scan_depth', file: 'worlds/bad.yaml', text: worldYaml('bad', 'entries:\n  - content: c\n    scan_depth: -1\n'), problem: "field 'entries[0].scan_depth' must be at least 0 (got number -1)" },
    { name: 'duplicate entry ids', file: 'worlds/bad.yaml', text: worldYaml('bad', 'entries:\n  - id: e\n    content: c\n  - id: e\n    content: d\n'), problem: "entries[1] has the same id 'e' as entries[0]; entry ids must be unique within a world" },
  ];

  for (const { name, file, text, problem } of cases) {
    it(name, () => {
      writeValidSet();
      assets.write(file, text);
      const { content, warnings } = load();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.file).toBe(file);
      if (typeof problem === 'string') expect(warnings[0]?.problem).toBe(problem);
      else expect(warnings[0]?.problem).toMatch(problem);
      expect([...content.worlds.keys()]).toEqual(['good']);
      expect([...content.characters.keys()]).toEqual(['hero']);
      expect([...content.rules.keys()]).toEqual(['grim']);
    });
  }

  it('reports several problems of one file together', () => {
    assets.write('characters/bad.yaml', 'id: 1\nname: [2]\n');
    const { warnings } = load();
    expect(warnings[0]?.problem).toBe(
      "field 'id' must be a string (got number 1); field 'name' must be a string (got a list); missing required field 'persona'",
    );
  });

  it('accepts a name YAML reads as a number', () => {
    assets.write('worlds/w.yaml', worldYaml('w').replace('name: World w', 'name: 1984'));
    expect(load().content.worlds.get('w')?.name).toBe('1984');
  });

  it('skips the second file of a duplicate id, naming the first', () => {
    assets.write('characters/a.yaml', characterYaml('hero', 'First'));
    assets.write('characters/b.yaml', characterYaml('hero', 'Second'));
    const { content, warnings } = load();
    expect(content.characters.get('hero')?.name).toBe('First');
    expect(warnings).toEqual([
      { file: 'characters/b.yaml', problem: "duplicate character id 'hero' (already defined in characters/a.yaml)" },
    ]);
  });

  it('allows the same id in different kinds of content', () => {
    assets.write('worlds/x.yaml', worldYaml('x'));
    assets.write('rules/x.yaml', ruleYaml('x'));
    const { content, warnings } = load();
    expect(warnings).toEqual([]);
    expect(content.worlds.has('x') && content.rules.has('x')).toBe(true);
  });

  it('skips files over the size limit', () => {
    writeValidSet();
    assets.write('worlds/huge.yaml', worldYaml('huge', `padding: "${'x'.repeat(3000)}"\n`));
    const { content, warnings } = load({ maxFileBytes: 2048 });
    expect(content.worlds.has('huge')).toBe(false);
    expect(warnings).toEqual([{ file: 'worlds/huge.yaml', problem: 'file is 4 KB, over the 2 KB limit for a content file' }]);
  });

  it('does not follow a symlink that points outside the assets folder', () => {
    writeValidSet();
    const outside = join(assets.root, 'secret.yaml');
    writeFileSync(outside, ruleYaml('secret'));
    symlinkSync(outside, join(assets.dir, 'rules', 'link.yaml'));
    const { content, warnings } = load();
    expect(content.rules.has('secret')).toBe(false);
    expect(warnings).toEqual([
      { file: 'rules/link.yaml', problem: 'symlink to ../secret.yaml, outside the assets folder; not followed' },
    ]);
  });

  it('follows a symlink that stays inside the assets folder', () => {
    assets.write('library/shared.yaml', ruleYaml('shared'));
    assets.write('rules/.keep', '');
    symlinkSync(join('..', 'library', 'shared.yaml'), join(assets.dir, 'rules', 'shared.yaml'));
    const { content, warnings } = load();
    expect(warnings).toEqual([]);
    expect(content.rules.has('shared')).toBe(true);
  });

  it('warns about a dangling symlink', () => {
    assets.write('rules/.keep', '');
    symlinkSync(join(assets.dir, 'gone.yaml'), join(assets.dir, 'rules', 'gone.yaml'));
    expect(load().warnings).toEqual([{ file: 'rules/gone.yaml', problem: 'symlink whose target does not exist' }]);
  });
});
