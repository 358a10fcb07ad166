import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContentSource } from '../engine/ports.ts';
import { characterYaml, makeTempAssets, recordingLogger, ruleYaml, worldYaml, type TempAssets } from './test-support.ts';
import { createYamlContentSource } from './yaml-content-source.ts';

// Waits are bounded generously; nothing here asserts how fast a change is seen.
const WAIT = { timeout: 15_000, interval: 20 };

let assets: TempAssets;
let source: ContentSource;
let stop: () => void;
let changes = 0;

/** Runs `edit` and resolves after the source has reported at least one change since. */
const editAndWait = async (edit: () => void) => {
  const before = changes;
  edit();
  await vi.waitFor(() => expect(changes).toBeGreaterThan(before), WAIT);
};

beforeEach(() => {
  assets = makeTempAssets();
  assets.write('worlds/w.yaml', worldYaml('w'));
  assets.write('characters/hero.yaml', characterYaml('hero', 'Original'));
  source = createYamlContentSource({ assetsDir: assets.dir, logger: recordingLogger(), debounceMs: 30 });
  expect(source.load().warnings).toEqual([]);
  changes = 0;
  const watch = source.watch;
  if (!watch) throw new Error('the YAML source must support watching');
  stop = watch(() => {
    changes += 1;
  });
});

afterEach(() => {
  stop();
  assets.cleanup();
});

describe('watching content files', () => {
  it('reports an edit, and a reload reflects it', async () => {
    await editAndWait(() => assets.write('characters/hero.yaml', characterYaml('hero', 'Edited')));
    expect(source.load().content.characters.get('hero')?.name).toBe('Edited');
  });

  it('reports an added file', async () => {
    await editAndWait(() => assets.write('worlds/second.yaml', worldYaml('second')));
    expect([...source.load().content.worlds.keys()].sort()).toEqual(['second', 'w']);
  });

  it('keeps the last good version of a file whose edit is broken, with a warning, until it is fixed', async () => {
    await editAndWait(() => assets.write('characters/hero.yaml', 'id: hero\nname: [broken\n'));
    const broken = source.load();
    expect(broken.content.characters.get('hero')?.name).toBe('Original');
    expect(broken.warnings).toHaveLength(1);
    expect(broken.warnings[0]?.file).toBe('characters/hero.yaml');
    expect(broken.warnings[0]?.problem).toMatch(/^invalid YAML: .*; kept the last good version$/);

    await editAndWait(() => assets.write('characters/hero.yaml', characterYaml('hero', 'Fixed')));
    const fixed = source.load();
    expect(fixed.warnings).toEqual([]);
    expect(fixed.content.characters.get('hero')?.name).toBe('Fixed');
  });

  it('keeps the last good version when an edit makes an id clash with another file', async () => {
    assets.write('characters/zed.yaml', characterYaml('zed', 'Zed'));
    expect(source.load().content.characters.size).toBe(2);
    await editAndWait(() => assets.write('characters/zed.yaml', characterYaml('hero', 'Impostor')));
    const { content, warnings } = source.load();
    expect(content.characters.get('hero')?.name).toBe('Original');
    expect(content.characters.get('zed')?.name).toBe('Zed');
    expect(warnings).toEqual([
      {
        file: 'characters/zed.yaml',
        problem: "duplicate character id 'hero' (already defined in characters/hero.yaml); kept the last good version",
      },
    ]);
  });

  it('removes the object of a removed file, and forgets its last good version', async () => {
    await editAndWait(() => assets.remove('characters/hero.yaml'));
    expect(source.load().content.characters.has('hero')).toBe(false);

    await editAndWait(() => assets.write('characters/hero.yaml', 'id: hero\n'));
    const { content, warnings } = source.load();
    expect(content.characters.has('hero')).toBe(false);
    expect(warnings).toEqual([{ file: 'characters/hero.yaml', problem: "missing required field 'name'; missing required field 'persona'" }]);
  });

  it('picks up a content folder created while watching', async () => {
    await editAndWait(() => assets.write('rules/grim.yaml', ruleYaml('grim')));
    expect(source.load().content.rules.has('grim')).toBe(true);
    await editAndWait(() => assets.write('rules/grim.yaml', ruleYaml('grim').replace('Follow grim.', 'Be grim.')));
    expect(source.load().content.rules.get('grim')?.prompt).toBe('Be grim.');
  });

  it('reports a change to the base rules', async () => {
    await editAndWait(() => assets.write('system_rules.yaml', 'prompt: Short replies.\n'));
    expect(source.load().content.systemRules).toBe('Short replies.');
  });
});
