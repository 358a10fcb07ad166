/**
 * A data dir that cannot be used at start: `flower serve` (run in process through the CLI's
 * own entry, `runCli`) answers with one clear `✗` line naming the path, no stack trace, and a
 * non-zero exit code.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';

const scratch = mkdtempSync(join(tmpdir(), 'flower-baddir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `serve` and returns its exit code and what it wrote to the CLI's stderr. */
async function serve(dataDir: string): Promise<{ code: number; lines: string[] }> {
  let err = '';
  const io = { stdout: { write: () => true }, stderr: { write: (text: string) => (err += text) } };
  const code = await runCli(['serve', '--port', '0', '--data-dir', dataDir, '--config', join(scratch, 'none.yaml')], io);
  return { code, lines: err.trimEnd().split('\n') };
}

describe('faults: a data dir that cannot be used', () => {
  // A path under a regular file fails with ENOTDIR even for root, who ignores permissions.
  it('refuses a data dir under a regular file with one ✗ line naming it', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a directory');
    const dataDir = join(file, 'data');
    const { code, lines } = await serve(dataDir);
    expect(code).not.toBe(0);
    expect(lines, 'one line, no stack trace').toHaveLength(1);
    expect(lines[0]).toMatch(/^✗ /);
    expect(lines[0]).toContain(dataDir);
    expect(lines[0]).not.toMatch(/Unexpected error/);
  });

  it('refuses a database path that is a directory with one ✗ line naming it', async () => {
    const dataDir = join(scratch, 'db-is-dir');
    mkdirSync(join(dataDir, 'flower.db'), { recursive: true });
    const { code, lines } = await serve(dataDir);
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^✗ .*flower\.db/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a read-only data dir with one ✗ line (skipped as root: root ignores permissions)', async () => {
    const dataDir = join(scratch, 'read-only');
    mkdirSync(dataDir, { mode: 0o500 });
    const { code, lines } = await serve(dataDir);
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^✗ /);
    expect(lines[0]).toContain(dataDir);
  });
});
