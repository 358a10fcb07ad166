import type { EngineDeps } from './api.ts';
import type { Command } from './commands/command.ts';
import type { Content } from './content.ts';
import type { WindowOptions } from './context/budget.ts';
import type { HybridSearch } from './retrieval/hybrid-search.ts';
import type { TokenCounter } from './tokens.ts';
import type { HistoryPageSizes } from './turn/recent-history.ts';

/** What commands and turns share of the running engine. */
export interface Runtime {
  readonly deps: EngineDeps;
  /** The last content that loaded; replaced when files change. */
  content(): Content;
  readonly commands: readonly Command[];
  /** True once shutdown began: no new turns are accepted. */
  isShuttingDown(): boolean;
  /** Called once a reply to a session is stored; background upkeep (summary) hangs off it. Must not throw. */
  afterReply?(sessionId: string): void;
  /** Lore or memory rows were added: background embedding (if any) looks again. Must not throw. */
  indexChanged?(): void;
  /** Reads the content files again now (after /import wrote one) and tells every client. Must not throw. */
  reloadContent?(): void;
  /** Context length when the model does not report one, and the reply budget (config). */
  readonly promptOptions?: WindowOptions;
  /** Lore and memory search fused with vector ranks; absent without an embedding model. */
  readonly search?: HybridSearch;
  /** Token counts remembered across turns (prompt assembly); counted afresh when absent. */
  readonly tokens?: TokenCounter;
  /** How many history messages each session's turns read (a hint); from the first page when absent. */
  readonly historyPages?: HistoryPageSizes;
}
