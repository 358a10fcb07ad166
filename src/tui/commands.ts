import type { CommandSpec } from '../protocol/index.ts';

/**
 * Commands the UI offers before the engine has sent its own list (sync_state `commands`),
 * matching protocol.md. The engine's list replaces this one as soon as it arrives.
 */
export const fallbackEngineCommands: CommandSpec[] = [
  { name: '/world select', usage: '/world select <id>', description: 'Choose the world to play in', completion: 'worlds', takes_argument: true },
  { name: '/world attach_lore', usage: '/world attach_lore <text>', description: 'Add lore to the active world', completion: 'none', takes_argument: true },
  { name: '/character select', usage: '/character select <id>', description: 'Choose your character', completion: 'characters', takes_argument: true },
  { name: '/model', usage: '/model <id>', description: 'Switch the narrator model', completion: 'models', takes_argument: true },
  { name: '/rules add', usage: '/rules add <id>', description: 'Activate a rule', completion: 'rules', takes_argument: true },
  { name: '/rules clear', usage: '/rules clear', description: 'Deactivate all rules', completion: 'none', takes_argument: false },
  { name: '/nsfw', usage: '/nsfw', description: 'Toggle the nsfw rule', completion: 'none', takes_argument: false },
  { name: '/session new', usage: '/session new', description: 'Start a new session in the active world', completion: 'none', takes_argument: false },
  { name: '/session continue', usage: '/session continue <id>', description: 'Resume a saved session', completion: 'sessions', takes_argument: true },
  { name: '/session delete', usage: '/session delete <id>', description: 'Delete a saved session', completion: 'sessions', takes_argument: true },
  { name: '/cancel', usage: '/cancel', description: 'Stop the reply being narrated', completion: 'none', takes_argument: false },
];

/** Commands the UI handles itself; they are never sent to the engine. */
export const clientCommands = {
  quit: { name: '/quit', usage: '/quit', description: 'Leave Flower', completion: 'none', takes_argument: false },
  help: { name: '/help', usage: '/help', description: 'Show every key and command', completion: 'none', takes_argument: false },
} as const satisfies Record<string, CommandSpec>;

export type ClientCommandId = keyof typeof clientCommands;

/** The engine's commands (or the fallback) followed by the client's own, without duplicates. */
export function withClientCommands(engine: CommandSpec[]): CommandSpec[] {
  const client = Object.values(clientCommands).filter((c) => !engine.some((e) => e.name === c.name));
  return [...engine, ...client];
}

/** Which client command a submitted line is, if any. */
export function clientCommandOf(line: string): ClientCommandId | undefined {
  const name = line.trim();
  const entry = Object.entries(clientCommands).find(([, spec]) => spec.name === name);
  return entry ? (entry[0] as ClientCommandId) : undefined;
}
