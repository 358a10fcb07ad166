/**
 * `flower import FILE [--world ID] [--character ID]`: a character card becomes a world file in
 * the data dir's assets (a running engine picks it up), a lorebook joins the world `--world`, a
 * SillyTavern chat becomes a session of the profile. Same rules as `/import`, minus the path
 * restriction: the player names the file on their own machine.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { resolvePaths } from '../../config/paths.ts';
import { createTransferFiles, MAX_IMPORT_BYTES } from '../../content/transfer-files.ts';
import { createYamlContentSource } from '../../content/yaml-content-source.ts';
import type { Logger, RandomSource, Store } from '../../engine/ports.ts';
import { applyImport, type ImportOutcome } from '../../engine/transfer/apply-import.ts';
import { detectFile, ImportError } from '../../engine/transfer/detect.ts';
import { StoreError } from '../../store/errors.ts';
import { createSqliteStore } from '../../store/sqlite-store.ts';

export interface ImportCliOptions {
  world?: string;
  character?: string;
  profile?: string;
  dataDir?: string;
}

export interface TransferCliDeps {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

const quiet: Logger = { info() {}, warn() {}, error() {} };
/** Session ids of imported chats; uniform in [0, 1) from 48 random bits. */
const random: RandomSource = { next: () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48 };

export function runImport(file: string, options: ImportCliOptions, deps: TransferCliDeps): number {
  const paths = resolvePaths({ dataDir: options.dataDir }, deps.env);
  let bytes: Uint8Array;
  try {
    const size = statSync(file).size;
    if (size > MAX_IMPORT_BYTES) {
      deps.err(`✗ ${file} is too big: ${(size / 1024 / 1024).toFixed(1)} MB, the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
      return 1;
    }
    bytes = readFileSync(file);
  } catch (error) {
    deps.err(`✗ Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error)}.`);
    return 1;
  }
  let store: Store | undefined;
  try {
    const detected = detectFile(bytes, file);
    mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
    store = createSqliteStore(paths.database);
    const profileId = options.profile ?? 'default';
    const state = store.profiles.load(profileId);
    const content = createYamlContentSource({ assetsDir: paths.assetsDir, logger: quiet }).load().content;
    const outcome = applyImport(
      detected,
      {
        store,
        random,
        now: Date.now(),
        files: createTransferFiles({ dataDir: paths.dataDir }),
        content,
        profileId,
        active: { worldId: state?.worldId ?? '', characterId: state?.characterId ?? '', model: state?.model ?? '' },
      },
      { worldId: options.world, characterId: options.character },
    );
    deps.out(describe(outcome));
    return 0;
  } catch (error) {
    if (!(error instanceof ImportError) && !(error instanceof StoreError)) throw error;
    deps.err(`✗ Cannot import ${file}: ${error.message}.`);
    return 1;
  } finally {
    store?.close();
  }
}

function describe(outcome: ImportOutcome): string {
  if (outcome.kind === 'world') {
    return `✓ Imported '${outcome.name}' as world ${outcome.worldId} (${outcome.entries} lore entries, ${outcome.greetings} alternate greetings) to ${outcome.path}`;
  }
  if (outcome.kind === 'lore') return `✓ Added ${outcome.added} lore entries to world ${outcome.worldId} (${outcome.path})`;
  return `✓ Imported the chat as session ${outcome.session.id} (${outcome.messages} messages); continue it with /session continue ${outcome.session.id}`;
}
