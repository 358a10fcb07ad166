/**
 * `flower export SESSION --format md|jsonl [-o FILE]`: a session as a Markdown transcript or a
 * SillyTavern chat, from the store opened read-only (a running engine is not disturbed).
 * Without `-o` it goes to standard output; an existing file is never overwritten.
 */
import { writeFileSync } from 'node:fs';
import { resolvePaths } from '../../config/paths.ts';
import { createYamlContentSource } from '../../content/yaml-content-source.ts';
import type { Logger, Store } from '../../engine/ports.ts';
import { EXPORT_FORMATS, exportSession, type ExportFormat } from '../../engine/transfer/session-export.ts';
import { StoreError } from '../../store/errors.ts';
import { createSqliteStore } from '../../store/sqlite-store.ts';
import type { TransferCliDeps } from './import.ts';

export interface ExportCliOptions {
  format?: string;
  output?: string;
  profile?: string;
  dataDir?: string;
}

const quiet: Logger = { info() {}, warn() {}, error() {} };

export function runExport(sessionId: string, options: ExportCliOptions, deps: TransferCliDeps & { write(text: string): void }): number {
  const format = (options.format ?? '').toLowerCase();
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
    deps.err(`✗ --format must be md or jsonl${options.format ? `, not "${options.format}"` : ''}.`);
    return 1;
  }
  const paths = resolvePaths({ dataDir: options.dataDir }, deps.env);
  let store: Store | undefined;
  try {
    store = createSqliteStore(paths.database, { readonly: true, loadVectorExtension: false });
    const profileId = options.profile ?? 'default';
    const session = store.sessions.get(profileId, sessionId);
    if (!session) {
      const recent = store.sessions.listRecent(profileId, 15).map((s) => s.id);
      deps.err(`✗ Unknown session '${sessionId}' of profile ${profileId}. Recent sessions: ${recent.join(', ') || 'none'}`);
      return 1;
    }
    const content = createYamlContentSource({ assetsDir: paths.assetsDir, logger: quiet }).load().content;
    const text = exportSession(store, content, session, format as ExportFormat);
    if (!options.output) {
      deps.write(text);
      return 0;
    }
    try {
      writeFileSync(options.output, text, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      deps.err(`✗ Cannot write ${options.output}: ${code === 'EEXIST' ? 'the file exists (choose another name)' : String(error)}.`);
      return 1;
    }
    deps.out(`✓ Exported session ${session.id} to ${options.output}`);
    return 0;
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    deps.err(`✗ ${error.message}`);
    return 1;
  } finally {
    store?.close();
  }
}
