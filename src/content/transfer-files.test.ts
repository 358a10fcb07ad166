import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoreEntry, World } from '../engine/content.ts';
import { ENTRY_DEFAULTS } from './schemas.ts';
import { createTransferFiles, worldsDir } from './transfer-files.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

function folders() {
  const root = mkdtempSync(join(tmpdir(), 'flower-transfer-files-'));
  roots.push(root);
  const dataDir = join(root, 'data');
  const homeDir = join(root, 'home');
  mkdirSync(worldsDir(dataDir), { recursive: true });
  mkdirSync(homeDir);
  return { dataDir, homeDir };
}

const entry = (id: string): LoreEntry => ({ ...ENTRY_DEFAULTS, id, comment: '', keys: ['gate'], secondaryKeys: [], content: `The gate (${id}).`, extra: {} });

describe('transfer files', () => {
  it('names the ids world files declare and the file names in use', () => {
    const { dataDir } = folders();
    writeFileSync(join(worldsDir(dataDir), 'castle.yaml'), 'id: keep\nname: Keep\n');
    writeFileSync(join(worldsDir(dataDir), 'broken.yml'), ': not yaml: [');
    const taken = createTransferFiles({ dataDir }).takenWorldIds();
    expect([...taken].sort()).toEqual(['broken', 'castle', 'keep']);
  });

  it('never overwrites a world file', () => {
    const { dataDir } = folders();
    const files = createTransferFiles({ dataDir });
    const world = { id: 'castle', name: 'Castle' } as World;
    writeFileSync(join(worldsDir(dataDir), 'castle.yaml'), 'id: castle\n# mine\n');
    expect(() => files.createWorld({ ...world, entries: [], alternateGreetings: [], extra: {} } as World)).toThrow(/EEXIST/);
    expect(readFileSync(join(worldsDir(dataDir), 'castle.yaml'), 'utf8')).toBe('id: castle\n# mine\n');
  });

  it('appends entries keeping comments, renaming clashing ids, and says which world has no file', () => {
    const { dataDir } = folders();
    const path = join(worldsDir(dataDir), 'castle.yaml');
    writeFileSync(path, '# The castle\nid: castle\nentries:\n  - id: gate\n    keys: [gate]\n    content: Old gate.\n');
    const files = createTransferFiles({ dataDir });
    expect(files.addEntries('castle', [entry('gate'), entry('moat')])).toEqual({ ok: true, path, added: 2 });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# The castle');
    expect(text).toMatch(/id: gate-2/);
    expect(text).toMatch(/id: moat/);
    expect(files.addEntries('tower', [entry('x')])).toEqual({ ok: false, problem: `no file in ${worldsDir(dataDir)} defines the world 'tower'` });
  });

  it('reads only from the home and imports folders, and not the home for guests', () => {
    const { dataDir, homeDir } = folders();
    writeFileSync(join(homeDir, 'card.json'), '{}');
    const files = createTransferFiles({ dataDir, homeDir });
    expect(files.readImport('~/card.json', { guest: false })).toMatchObject({ ok: true });
    expect(files.readImport(join(homeDir, 'card.json'), { guest: true })).toMatchObject({ ok: false, problem: expect.stringContaining('on a shared engine') });
    expect(files.readImport('/etc/hostname', { guest: false })).toMatchObject({ ok: false, problem: expect.stringContaining('is not allowed') });
  });

  it('writes exports into the exports folder', () => {
    const { dataDir } = folders();
    const path = createTransferFiles({ dataDir }).writeExport('story.md', '# Story\n');
    expect(path).toBe(join(dataDir, 'exports', 'story.md'));
    expect(readFileSync(path, 'utf8')).toBe('# Story\n');
  });
});
