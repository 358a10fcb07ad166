/**
 * Dice rolls in the story. A roll is stored as a visible `system` message starting with 🎲; the
 * rolls made just before the player's next message are given to the narrator as binding results.
 */
import type { CheckResult, DiceRoll } from '../dice/index.ts';
import type { ChatMessage, MessageRecord } from '../ports.ts';

export const DICE_MARK = '🎲';

export const isDiceMessage = (message: Pick<MessageRecord, 'role' | 'content'>): boolean =>
  message.role === 'system' && message.content.startsWith(DICE_MARK);

export const rollText = (who: string, roll: DiceRoll): string => `${DICE_MARK} ${who} rolled ${roll.text}`;

export const checkText = (who: string, check: CheckResult): string =>
  `${DICE_MARK} ${who}: ${check.text.replace(/→ (success|failure)/, (_, outcome: string) => `→ ${outcome.toUpperCase()}`)}`;

/**
 * The rolls stored right before `userMessageId` (after the previous reply or player message),
 * oldest first; a roll hidden from the narrator (`/hide`) binds nothing.
 */
export function rollsBefore(messages: readonly MessageRecord[], userMessageId: number): MessageRecord[] {
  const at = messages.findIndex((message) => message.id === userMessageId);
  if (at < 0) return [];
  const rolls: MessageRecord[] = [];
  for (let i = at - 1; i >= 0; i--) {
    const message = messages[i];
    if (!message || message.role !== 'system') break;
    if (isDiceMessage(message) && !message.hidden) rolls.unshift(message);
  }
  return rolls;
}

/** How the narrator must treat one roll: a check's outcome is binding, a plain roll is a given. */
export function bindingLine(roll: string): string {
  const text = roll.slice(DICE_MARK.length).trim();
  if (/→ SUCCESS/.test(text)) return `[Dice] ${text} — SUCCESS: narrate the action succeeding; this result is binding.`;
  if (/→ FAILURE/.test(text)) return `[Dice] ${text} — FAILURE: narrate the action failing; this result is binding.`;
  return `[Dice] ${text} — use this result as rolled.`;
}

/** Puts the binding lines before the text of the prompt's final user message. */
export function bindRolls(prompt: readonly ChatMessage[], rolls: readonly MessageRecord[]): ChatMessage[] {
  const last = prompt.at(-1);
  if (rolls.length === 0 || !last || last.role !== 'user') return [...prompt];
  const lines = rolls.map((roll) => bindingLine(roll.content)).join('\n');
  return [...prompt.slice(0, -1), { role: 'user', content: `${lines}\n\n${last.content}` }];
}
