export { parseDice, DiceError, MAX_DICE, MAX_SIDES, VALID_FORMS } from './parse.ts';
export type { DiceExpression, DiceTerm, ConstantTerm, Term, KeepMode } from './parse.ts';
export { rollDice, roll, rollDie } from './roll.ts';
export type { DiceRoll, Die, TermRoll } from './roll.ts';
export { parseCheck, resolveCheck, rollCheck, isCheck } from './check.ts';
export type { CheckRequest, CheckResult } from './check.ts';
export { seededRandom, scriptedRandom } from './seeded-random.ts';
