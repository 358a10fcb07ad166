import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHIPPED_ASSETS_DIR, ensureAssets } from './ensure-assets.ts';
import { makeTempAssets, type TempAssets } from './test-support.ts';

let temp: TempAssets;
beforeEach(() => {
  temp = makeTempAssets();
});
afterEach(() => {
  temp.cleanup();
});

describe('ensureAssets', () => {
  it('copies the shipped content when the assets folder does not exist', () => {
    const target = join(temp.root, 'data', 'assets');
    expect(ensureAssets(target)).toBe(true);
    expect(readdirSync(join(target, 'worlds')).sort()).toEqual(readdirSync(join(SHIPPED_ASSETS_DIR, 'worlds')).sort());
    expect(readFileSync(join(target, 'rules', 'nsfw.yaml'), 'utf8')).toBe(
      readFileSync(join(SHIPPED_ASSETS_DIR, 'rules', 'nsfw.yaml'), 'utf8'),
    );
    expect(readdirSync(join(temp.root, 'data'))).toEqual(['assets']);
  });

  it('copies a given shipped folder recursively', () => {
    const shipped = join(temp.root, 'shipped');
    mkdirSync(join(shipped, 'worlds', 'deep'), { recursive: true });
    writeFileSync(join(shipped, 'worlds', 'deep', 'w.yaml'), 'x');
    const target = join(temp.root, 'copy');
    expect(ensureAssets(target, shipped)).toBe(true);
    expect(readFileSync(join(target, 'worlds', 'deep', 'w.yaml'), 'utf8')).toBe('x');
  });

  it('leaves an existing assets folder alone, even an empty one', () => {
    temp.write('worlds/mine.yaml', 'mine');
    expect(ensureAssets(temp.dir)).toBe(false);
    expect(readdirSync(join(temp.dir, 'worlds'))).toEqual(['mine.yaml']);
    const empty = join(temp.root, 'empty');
    mkdirSync(empty);
    expect(ensureAssets(empty)).toBe(false);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('fails clearly when the shipped content is missing, creating nothing', () => {
    const target = join(temp.root, 'target');
    expect(() => ensureAssets(target, join(temp.root, 'missing'))).toThrow(/shipped example content not found/);
    expect(existsSync(target)).toBe(false);
  });
});
