import type { RandomSource } from '../ports.ts';
import { formatTerm, parseDice, DiceError, type DiceExpression, type DiceTerm } from './parse.ts';

export interface Die {
  sides: number;
  value: number;
  kept: boolean;
}

export interface TermRoll {
  notation: string;
  /** Signed contribution to the total. */
  subtotal: number;
  /** Empty for a constant. */
  dice: Die[];
}

export interface DiceRoll {
  notation: string;
  total: number;
  terms: TermRoll[];
  /** Every die rolled, in order, with kept/dropped. */
  rolls: Die[];
  /** The kept d20 when the roll is a single d20 (also with advantage/disadvantage): for natural 20/1. */
  natural?: number;
  /** e.g. `4d6kh3: [6, 5, 3, ~~1~~] = 14`. */
  text: string;
}

export function rollDie(sides: number, random: RandomSource): number {
  // Clamp guards a RandomSource that returns exactly 1 by mistake.
  return Math.min(sides, 1 + Math.floor(random.next() * sides));
}

export function rollDice(expression: DiceExpression, random: RandomSource): DiceRoll {
  const terms: TermRoll[] = expression.terms.map((term, index) => {
    if (term.kind === 'constant') return { notation: formatTerm(term, index === 0), subtotal: term.sign * term.value, dice: [] };
    const dice = rollTerm(term, random);
    const sum = dice.filter((die) => die.kept).reduce((acc, die) => acc + die.value, 0);
    return { notation: formatTerm(term, index === 0), subtotal: term.sign * sum, dice };
  });
  const total = terms.reduce((acc, term) => acc + term.subtotal, 0);
  const rolls = terms.flatMap((term) => term.dice);
  const diceTerms = expression.terms.filter((term): term is DiceTerm => term.kind === 'dice');
  const onlyD20 = diceTerms.length === 1 && diceTerms[0]?.sides === 20 && diceTerms[0].sign === 1;
  const kept = rolls.filter((die) => die.kept);
  const natural = onlyD20 && kept.length === 1 ? kept[0]?.value : undefined;
  return { notation: expression.notation, total, terms, rolls, ...(natural === undefined ? {} : { natural }), text: describe(expression.notation, terms, total) };
}

/** Parses and rolls in one go; throws DiceError with a readable message on bad notation. */
export function roll(notation: string, random: RandomSource): DiceRoll {
  return rollDice(parseDice(notation), random);
}

function rollTerm(term: DiceTerm, random: RandomSource): Die[] {
  const dice: Die[] = Array.from({ length: term.count }, () => ({ sides: term.sides, value: rollDie(term.sides, random), kept: true }));
  if (!term.keep) return dice;
  const { mode, n } = term.keep;
  // Stable order by value: among equal values the earlier die ranks first.
  const ranked = dice.map((die, index) => ({ die, index })).sort((a, b) => b.die.value - a.die.value || a.index - b.index);
  const keepCount = mode === 'kh' || mode === 'kl' ? n : term.count - n;
  const fromTop = mode === 'kh' || mode === 'dl';
  const keptSet = new Set((fromTop ? ranked : [...ranked].reverse()).slice(0, keepCount).map((item) => item.index));
  return dice.map((die, index) => ({ ...die, kept: keptSet.has(index) }));
}

function describe(notation: string, terms: TermRoll[], total: number): string {
  const parts = terms.map((term, index) => {
    const sign = term.notation.startsWith('-') ? '- ' : index === 0 ? '' : '+ ';
    if (term.dice.length === 0) return `${sign}${Math.abs(term.subtotal)}`;
    const faces = term.dice.map((die) => (die.kept ? String(die.value) : `~~${die.value}~~`)).join(', ');
    return `${sign}[${faces}]`;
  });
  return `${notation}: ${parts.join(' ')} = ${total}`;
}

export { DiceError };
