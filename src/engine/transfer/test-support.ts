/** A temporary data dir with the real YAML content source over it, for import and export tests. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createTransferFiles } from '../../content/transfer-files.ts';
import { createYamlContentSource } from '../../content/yaml-content-source.ts';
import type { ContentSource } from '../ports.ts';
import { createHarness } from '../testing/harness.ts';
import { MemoryLogger } from '../testing/fakes.ts';
import { reply } from '../testing/scripted-models.ts';

export const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/formats');
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

export function tempDirs() {
  const root = mkdtempSync(join(tmpdir(), 'flower-transfer-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const dataDir = join(root, 'data');
  const homeDir = join(root, 'home');
  for (const dir of [join(dataDir, 'assets', 'worlds'), join(dataDir, 'assets', 'characters'), join(dataDir, 'imports'), homeDir]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(join(dataDir, 'assets', 'characters', 'aria.yaml'), 'id: aria\nname: Aria\npersona: A lost traveller.\n');
  writeFileSync(join(dataDir, 'assets', 'characters', 'knight.yaml'), 'id: knight\nname: Sir Alric\npersona: A weary knight.\n');
  writeFileSync(
    join(dataDir, 'assets', 'worlds', 'castle.yaml'),
    '# The castle world\nid: castle\nname: The Castle\nlore: Old stones.\nstart_message: Rain falls.\n',
  );
  return { root, dataDir, homeDir };
}

/** An engine over the temporary data dir; content reloads only when asked (no file watching). */
export function transferHarness() {
  const dirs = tempDirs();
  const yaml = createYamlContentSource({ assetsDir: join(dirs.dataDir, 'assets'), logger: new MemoryLogger() });
  const source: ContentSource = { load: () => yaml.load() };
  const h = createHarness({ source, files: createTransferFiles({ dataDir: dirs.dataDir, homeDir: dirs.homeDir }) });
  const put = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dirs.homeDir, name);
    writeFileSync(path, bytes);
    return path;
  };
  return { ...h, ...dirs, put };
}

/** Castle, Sir Alric, a new session and one exchange: messages 1 (start), 2 (move), 3 (reply). */
export async function playCastleExchange(h: ReturnType<typeof transferHarness>, client: ReturnType<ReturnType<typeof transferHarness>['connect']>): Promise<void> {
  await client.send('/world select castle');
  await client.send('/character select knight');
  await client.send('/model scripted/narrator');
  await client.send('/session new');
  h.models.enqueue(reply('The gate is shut.'));
  await client.send('I reach the gate.');
  await client.waitForEnd();
}
