/**
 * Assembles the messages for one story turn. Pure: everything it needs is passed in.
 *
 * System message, sections joined by blank lines: base rules; universal laws (active rules);
 * the world's system prompt; the player character; the current context (scene on the first
 * turn only, retrieved lore and memories); "Never break character." Then the recent messages,
 * then the new user message.
 */
import type { Character, Rule, World } from '../content.ts';
import type { ChatMessage } from '../ports.ts';

export interface PromptInput {
  systemRules: string;
  activeRules: readonly Rule[];
  world: World;
  character: Character;
  /** True when no user message came before this one in the session. */
  firstTurn: boolean;
  lore: readonly string[];
  memories: readonly string[];
  /** The session's last messages before the new one, oldest first. */
  history: readonly ChatMessage[];
  userMessage: string;
}

export const HISTORY_MESSAGES = 10;

export function buildPrompt(input: PromptInput): ChatMessage[] {
  const fill = (text: string) => fillNames(text, input);
  const sections = [
    input.systemRules,
    universalLaws(input.activeRules),
    input.world.systemPrompt,
    playerCharacter(input.character),
    currentContext(input),
    'Never break character.',
  ]
    .map((section) => fill(section.trim()))
    .filter((section) => section !== '');
  const history = input.history
    .filter((message) => message.role !== 'system' && message.content !== '')
    .slice(-HISTORY_MESSAGES);
  return [
    { role: 'system', content: sections.join('\n\n') },
    ...history.map((message) => ({ role: message.role, content: message.content })),
    { role: 'user', content: input.userMessage },
  ];
}

function universalLaws(rules: readonly Rule[]): string {
  const prompts = rules.map((rule) => rule.prompt.trim()).filter((prompt) => prompt !== '');
  if (prompts.length === 0) return '';
  return ['### UNIVERSAL LAWS ###', ...prompts].join('\n');
}

function playerCharacter(character: Character): string {
  return [
    '### THE PLAYER CHARACTER ###',
    `Name: ${character.name}`,
    character.persona.trim() === '' ? '' : `Persona: ${character.persona.trim()}`,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function currentContext(input: PromptInput): string {
  const parts: string[] = [];
  if (input.firstTurn && input.world.scene.trim() !== '') parts.push(`Scene:\n${input.world.scene.trim()}`);
  if (input.lore.length > 0) parts.push(`Relevant lore:\n${bulleted(input.lore)}`);
  if (input.memories.length > 0) parts.push(`Memories of earlier exchanges:\n${bulleted(input.memories)}`);
  if (parts.length === 0) return '';
  return ['### CURRENT CONTEXT ###', ...parts].join('\n');
}

const bulleted = (items: readonly string[]): string => items.map((item) => `- ${item.trim()}`).join('\n');

/** Imported character cards use `{{user}}` for the player and `{{char}}` for the narrator. */
function fillNames(text: string, input: PromptInput): string {
  const narrator = input.world.narratorName || input.world.name;
  return text.replace(/\{\{user\}\}/gi, input.character.name).replace(/\{\{char\}\}/gi, narrator);
}
