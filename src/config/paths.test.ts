import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolvePaths } from './paths.ts';

describe('resolvePaths', () => {
  it('uses XDG dirs when set', () => {
    const paths = resolvePaths({}, { XDG_DATA_HOME: '/xdg/data', XDG_CONFIG_HOME: '/xdg/config' });
    expect(paths.dataDir).toBe('/xdg/data/flower');
    expect(paths.configFile).toBe('/xdg/config/flower/config.yaml');
    expect(paths.database).toBe('/xdg/data/flower/flower.db');
    expect(paths.assetsDir).toBe('/xdg/data/flower/assets');
    expect(paths.logFile).toBe('/xdg/data/flower/flower.log');
  });

  it('prefers env overrides over XDG, and flags over env', () => {
    const env = { XDG_DATA_HOME: '/xdg/data', FLOWER_DATA_DIR: '/env/data', FLOWER_CONFIG: '/env/flower.yaml' };
    expect(resolvePaths({}, env)).toMatchObject({ dataDir: '/env/data', configFile: '/env/flower.yaml' });
    expect(resolvePaths({ dataDir: '/flag/data', configFile: '/flag/c.yaml' }, env)).toMatchObject({ dataDir: '/flag/data', configFile: '/flag/c.yaml' });
  });

  it('makes relative paths absolute', () => {
    expect(resolvePaths({ dataDir: 'rel' }, {}).dataDir).toBe(join(process.cwd(), 'rel'));
  });

  it('falls back to the platform dirs without a "nodejs" suffix', () => {
    const paths = resolvePaths({}, {});
    expect(paths.dataDir.endsWith('flower')).toBe(true);
    expect(paths.configFile.endsWith(join('flower', 'config.yaml'))).toBe(true);
  });
});
