/**
 * Called by the commands that run the terminal UI before it loads, never by `serve`: registers
 * the resolution hook in ui-import-hooks.mjs, so Ink's one helper from `es-toolkit/compat` does
 * not bring in the whole barrel (about 415 modules, seconds through tsx on a busy machine).
 */
import { register } from 'node:module';

export function shortenUiImports(): void {
  register('./ui-import-hooks.mjs', import.meta.url);
}
