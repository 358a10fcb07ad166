import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSillyTavernJsonl } from '../../engine/formats/chat-export.ts';
import { createSqliteStore } from '../../store/sqlite-store.ts';
import { runExport } from './export.ts';
import { runImport } from './import.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/formats');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'flower-transfer-cli-'));
  dirs.push(root);
  const dataDir = join(root, 'data');
  mkdirSync(join(dataDir, 'assets', 'characters'), { recursive: true });
  writeFileSync(join(dataDir, 'assets', 'characters', 'aria.yaml'), 'id: aria\nname: Aria\npersona: A traveller.\n');
  const out: string[] = [];
  const err: string[] = [];
  let written = '';
  const deps = { env: { FLOWER_DATA_DIR: dataDir }, out: (l: string) => out.push(l), err: (l: string) => err.push(l), write: (t: string) => (written += t) };
  return { root, dataDir, out, err, deps, written: () => written };
}

describe('flower import / flower export', () => {
  it('imports a card as a world file, then its lorebook into that world', () => {
    const t = setup();
    expect(runImport(join(FIXTURES, 'card-v3.json'), {}, t.deps)).toBe(0);
    expect(t.out[0]).toMatch(/^✓ Imported 'Captain Ilse Varga' as world captain-ilse-varga \(2 lore entries, 1 alternate greetings\)/);
    expect(runImport(join(FIXTURES, 'st-world-info.json'), { world: 'captain-ilse-varga' }, t.deps)).toBe(0);
    expect(t.out[1]).toMatch(/^✓ Added 5 lore entries to world captain-ilse-varga/);
    const file = parse(readFileSync(join(t.dataDir, 'assets', 'worlds', 'captain-ilse-varga.yaml'), 'utf8'));
    expect(file.entries).toHaveLength(7);
    expect(t.err).toEqual([]);
  });

  it('imports a chat as a session, exports it as JSONL and Markdown, and the JSONL imports back', () => {
    const t = setup();
    runImport(join(FIXTURES, 'card-v2.json'), {}, t.deps);
    expect(runImport(join(FIXTURES, 'st-chat.jsonl'), {}, t.deps)).toBe(0);
    const sessionId = /session ([0-9a-f]{12})/.exec(t.out[1] ?? '')?.[1] ?? '';
    expect(sessionId).not.toBe('');

    const jsonl = join(t.root, 'out.jsonl');
    expect(runExport(sessionId, { format: 'jsonl', output: jsonl }, t.deps)).toBe(0);
    expect(t.out[2]).toBe(`✓ Exported session ${sessionId} to ${jsonl}`);
    const original = parseSillyTavernJsonl(readFileSync(join(FIXTURES, 'st-chat.jsonl'), 'utf8'));
    const exported = parseSillyTavernJsonl(readFileSync(jsonl, 'utf8'));
    expect(exported.messages.map((m) => [m.role, m.content, m.swipes])).toEqual(original.messages.map((m) => [m.role, m.content, m.swipes]));

    expect(runImport(jsonl, {}, t.deps)).toBe(0);
    const again = /session ([0-9a-f]{12})/.exec(t.out[3] ?? '')?.[1] ?? '';
    const store = createSqliteStore(join(t.dataDir, 'flower.db'));
    try {
      const contents = (id: string) => store.messages.list(id).map((m) => [m.role, m.content]);
      expect(contents(again)).toEqual(contents(sessionId));
      expect(store.sessions.get('default', again)).toMatchObject({ worldId: 'seraphina', characterId: 'aria' });
    } finally {
      store.close();
    }

    expect(runExport(sessionId, { format: 'md' }, t.deps)).toBe(0);
    expect(t.written()).toContain('- **World:** Seraphina');
    expect(t.written()).toContain('Safe, in my glade.');
  });

  it('fails clearly: unknown format, missing file, unknown session, existing output, lorebook without a world', () => {
    const t = setup();
    runImport(join(FIXTURES, 'card-v2.json'), {}, t.deps);
    runImport(join(FIXTURES, 'st-chat.jsonl'), {}, t.deps);
    const sessionId = /session ([0-9a-f]{12})/.exec(t.out[1] ?? '')?.[1] ?? '';
    const existing = join(t.root, 'exists.md');
    writeFileSync(existing, 'keep me');
    expect(runExport(sessionId, { format: 'pdf' }, t.deps)).toBe(1);
    expect(runExport('000000000000', { format: 'md' }, t.deps)).toBe(1);
    expect(runExport(sessionId, { format: 'md', output: existing }, t.deps)).toBe(1);
    expect(runImport(join(t.root, 'missing.json'), {}, t.deps)).toBe(1);
    expect(runImport(join(FIXTURES, 'lorebook-v3.json'), {}, t.deps)).toBe(1);
    expect(t.err).toEqual([
      '✗ --format must be md or jsonl, not "pdf".',
      `✗ Unknown session '000000000000' of profile default. Recent sessions: ${sessionId}`,
      `✗ Cannot write ${existing}: the file exists (choose another name).`,
      `✗ Cannot read ${join(t.root, 'missing.json')}: file not found.`,
      `✗ Cannot import ${join(FIXTURES, 'lorebook-v3.json')}: a lorebook is added to a world: name it (world <id>). Worlds: seraphina.`,
    ]);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
  });
});
