/** Skill checks: `/roll d20+2 vs 15 pick the lock`. */
import type { RandomSource } from '../ports.ts';
import { DiceError, parseDice, VALID_FORMS, type DiceExpression } from './parse.ts';
import { rollDice, type DiceRoll } from './roll.ts';

export interface CheckRequest {
  notation: string;
  expression: DiceExpression;
  /** Difficulty: the total must meet or beat it. */
  dc: number;
  /** What the player attempts; may be empty. */
  action: string;
}

export interface CheckResult {
  request: CheckRequest;
  roll: DiceRoll;
  outcome: 'success' | 'failure';
  /** Noted for a single d20 (with or without advantage); the outcome still follows the total. */
  critical?: 'natural20' | 'natural1';
  /** e.g. `pick the lock — d20+2 vs 15: [17] + 2 = 19 → success`. */
  text: string;
}

const CHECK = /^(.*?)\s+(?:vs\.?|versus)\s+(?:dc\s*)?(-?\d+)(?:\s+(.*))?$/is;

/** True when the text is a check (`… vs N …`) rather than a plain roll. */
export const isCheck = (text: string): boolean => /\s(?:vs\.?|versus)\s/i.test(` ${text.trim()} `);

export function parseCheck(text: string): CheckRequest {
  const match = CHECK.exec(text.trim());
  if (!match) {
    throw new DiceError(`"${text.trim()}" is not a check: write <dice> vs <number> [action], e.g. "d20+2 vs 15 pick the lock"`);
  }
  const [, notationText = '', dcText = '', action = ''] = match;
  if (!notationText.trim()) throw new DiceError(`the check "${text.trim()}" has no dice before "vs". Valid forms: ${VALID_FORMS}`);
  const dc = Number(dcText);
  if (dc < 1 || dc > 1000) throw new DiceError(`the difficulty ${dcText} must be between 1 and 1000`);
  const expression = parseDice(notationText);
  return { notation: notationText.trim(), expression, dc, action: action.trim() };
}

export function resolveCheck(request: CheckRequest, roll: DiceRoll): CheckResult {
  const outcome = roll.total >= request.dc ? 'success' : 'failure';
  const critical = roll.natural === 20 ? 'natural20' : roll.natural === 1 ? 'natural1' : undefined;
  const rolled = roll.text.slice(roll.text.indexOf(':') + 2);
  const note = critical === 'natural20' ? ' (natural 20)' : critical === 'natural1' ? ' (natural 1)' : '';
  const head = request.action ? `${request.action} — ` : '';
  const text = `${head}${roll.notation} vs ${request.dc}: ${rolled} → ${outcome}${note}`;
  return { request, roll, outcome, ...(critical ? { critical } : {}), text };
}

export function rollCheck(text: string, random: RandomSource): CheckResult {
  const request = parseCheck(text);
  return resolveCheck(request, rollDice(request.expression, random));
}
