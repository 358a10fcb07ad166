import type { CompletionSource, SystemUpdateMetadata } from '../../protocol/index.ts';
import type { Content } from '../content.ts';
import type { Profile } from '../profile.ts';
import type { Runtime } from '../runtime.ts';

/** One slash command. Each lives in its own file and is listed once in `index.ts`. */
export interface Command {
  /** Full command text before the argument, e.g. `/world select`. */
  name: string;
  usage: string;
  description: string;
  /** What a client offers when completing the argument. */
  completion: CompletionSource;
  takesArgument: boolean;
  /** With `takesArgument`: the argument may also be left out (`/fork [N]`). */
  optionalArgument?: boolean;
  run(ctx: CommandContext, argument: string): void | Promise<void>;
}

/** What a command may see and do. State changes are broadcast; `✗` answers go to the asker. */
export interface CommandContext {
  readonly runtime: Runtime;
  readonly profile: Profile;
  /** The content as loaded when the command started. */
  readonly content: Content;
  /** A `system_update` to the asking client only (errors, help). */
  reply(content: string, metadata?: SystemUpdateMetadata): void;
  /** A `system_update` to every client of the profile (state changes). */
  announce(content: string, metadata?: SystemUpdateMetadata): void;
  /** `sync_state` to every client of the profile. */
  syncState(): void;
  /** `chat_history` of a session to every client of the profile. */
  chatHistory(sessionId: string): void;
}
