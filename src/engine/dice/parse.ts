/** Dice notation: `d20`, `2d6+3`, `4d6kh3`, `4d6kl1`, `4d6dl1`, `d%`, `1d8+1d6+2`, `adv`, `dis`, `d20+5 adv`. */

export const MAX_DICE = 100;
export const MAX_SIDES = 1000;
const MAX_CONSTANT = 1_000_000;
const MAX_TERMS = 20;

export const VALID_FORMS = 'd20, 2d6+3, 4d6kh3, 4d6kl1, 4d6dl1, d%, 1d8+1d6+2, adv, dis, d20+5 adv';

export type KeepMode = 'kh' | 'kl' | 'dh' | 'dl';

export interface DiceTerm {
  kind: 'dice';
  sign: 1 | -1;
  count: number;
  sides: number;
  keep?: { mode: KeepMode; n: number };
}

export interface ConstantTerm {
  kind: 'constant';
  sign: 1 | -1;
  value: number;
}

export type Term = DiceTerm | ConstantTerm;

export interface DiceExpression {
  /** Normalised notation, e.g. `2d20kh1+5` for `d20+5 adv`. */
  notation: string;
  terms: Term[];
}

export class DiceError extends Error {
  override name = 'DiceError';
}

const fail = (notation: string, problem: string): never => {
  throw new DiceError(`"${notation}" is not valid dice notation: ${problem}. Valid forms: ${VALID_FORMS}`);
};

const TERM = /^(\d*)d(\d+|%)(?:(kh|kl|dh|dl|k|d)(\d+)?)?$/;
const ADVANTAGE = /^(adv|advantage|dis|disadvantage)$/;

export function parseDice(input: string): DiceExpression {
  const original = input.trim();
  if (!original) fail(input, 'it is empty');
  const words = original.toLowerCase().split(/\s+/);
  const last = words[words.length - 1] ?? '';
  let advantage: 'adv' | 'dis' | undefined;
  if (ADVANTAGE.test(last)) {
    advantage = last.startsWith('adv') ? 'adv' : 'dis';
    words.pop();
  }
  const body = words.join('');
  if (!body) {
    if (!advantage) fail(original, 'it is empty');
    return build([{ kind: 'dice', sign: 1, count: 2, sides: 20, keep: { mode: advantage === 'adv' ? 'kh' : 'kl', n: 1 } }]);
  }
  if (!/^[+-]?[0-9a-z%]+(?:[+-][0-9a-z%]+)*$/.test(body)) {
    const bad = body.match(/[^0-9a-z%+-]/)?.[0];
    fail(original, bad ? `unexpected "${bad}"` : 'a "+" or "-" has nothing after it');
  }
  const parts = body.match(/[+-]?[^+-]+/g) ?? [];
  if (parts.length > MAX_TERMS) fail(original, `more than ${MAX_TERMS} terms`);
  const terms = parts.map((part) => parseTerm(original, part));
  if (!terms.some((term) => term.kind === 'dice')) fail(original, 'it has no dice (write e.g. d20 or 2d6+3)');
  const diceCount = terms.reduce((sum, term) => sum + (term.kind === 'dice' ? term.count : 0), 0);
  if (diceCount > MAX_DICE) fail(original, `at most ${MAX_DICE} dice in total, got ${diceCount}`);
  if (advantage) applyAdvantage(original, terms, advantage);
  return build(terms);
}

function parseTerm(original: string, part: string): Term {
  const sign: 1 | -1 = part.startsWith('-') ? -1 : 1;
  const text = part.replace(/^[+-]/, '');
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value > MAX_CONSTANT) fail(original, `the modifier ${text} is larger than ${MAX_CONSTANT}`);
    return { kind: 'constant', sign, value };
  }
  const match = TERM.exec(text);
  if (!match) return fail(original, `"${text}" is not a dice term (like 2d6, 4d6kh3 or d%)`);
  const [, countText = '', sidesText = '', keepText, keepNText] = match;
  const count = countText === '' ? 1 : Number(countText);
  const sides = sidesText === '%' ? 100 : Number(sidesText);
  if (count < 1) fail(original, `"${text}" rolls no dice`);
  if (count > MAX_DICE) fail(original, `at most ${MAX_DICE} dice, got ${count}`);
  if (sides < 1) fail(original, `"${text}" has dice with no sides`);
  if (sides > MAX_SIDES) fail(original, `at most ${MAX_SIDES} sides, got ${sides}`);
  const term: DiceTerm = { kind: 'dice', sign, count, sides };
  if (keepText) {
    const mode: KeepMode = keepText === 'k' ? 'kh' : keepText === 'd' ? 'dl' : (keepText as KeepMode);
    const n = keepNText === undefined ? 1 : Number(keepNText);
    const keeping = mode.startsWith('k');
    if (keeping && (n < 1 || n > count)) fail(original, `"${text}" must keep between 1 and ${count} dice`);
    if (!keeping && (n < 0 || n >= count)) fail(original, `"${text}" must drop fewer than ${count} dice`);
    term.keep = { mode, n };
  }
  return term;
}

function applyAdvantage(original: string, terms: Term[], advantage: 'adv' | 'dis'): void {
  const index = terms.findIndex((term) => term.kind === 'dice' && term.count === 1 && term.sides === 20 && !term.keep);
  if (index < 0) fail(original, `${advantage === 'adv' ? 'advantage' : 'disadvantage'} needs a single d20 to roll twice`);
  const d20 = terms[index] as DiceTerm;
  terms[index] = { ...d20, count: 2, keep: { mode: advantage === 'adv' ? 'kh' : 'kl', n: 1 } };
}

function build(terms: Term[]): DiceExpression {
  return { notation: terms.map((term, index) => formatTerm(term, index === 0)).join(''), terms };
}

export function formatTerm(term: Term, first: boolean): string {
  const sign = term.sign < 0 ? '-' : first ? '' : '+';
  if (term.kind === 'constant') return `${sign}${term.value}`;
  const keep = term.keep ? `${term.keep.mode}${term.keep.n}` : '';
  return `${sign}${term.count}d${term.sides}${keep}`;
}
