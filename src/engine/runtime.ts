import type { EngineDeps } from './api.ts';
import type { Command } from './commands/command.ts';
import type { Content } from './content.ts';

/** What commands and turns share of the running engine. */
export interface Runtime {
  readonly deps: EngineDeps;
  /** The last content that loaded; replaced when files change. */
  content(): Content;
  readonly commands: readonly Command[];
  /** True once shutdown began: no new turns are accepted. */
  isShuttingDown(): boolean;
}
