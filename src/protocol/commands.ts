import { z } from 'zod';

/**
 * What a client needs to know about a command to offer help and completion. The engine's
 * command registry produces these and sends them in `sync_state` (additive key `commands`),
 * so the UI's help and completion come from the same list the engine dispatches on.
 */
export const CompletionSource = z.enum(['worlds', 'characters', 'models', 'rules', 'sessions', 'none']);
export type CompletionSource = z.infer<typeof CompletionSource>;

export const CommandSpec = z.object({
  /** Full command text before the argument, e.g. `/world select`. */
  name: z.string(),
  usage: z.string(),
  description: z.string(),
  completion: CompletionSource.default('none'),
  takes_argument: z.boolean().default(false),
  /** Additive: the argument may be left out (`/fork [N]`), so picking the command can send it as is. */
  optional_argument: z.boolean().optional(),
});
export type CommandSpec = z.infer<typeof CommandSpec>;
