import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiceError, isCheck, parseCheck, parseDice, roll, rollCheck, rollDice, scriptedRandom, seededRandom } from './index.ts';

/** A random value that makes a die of `sides` show `face`. */
const face = (value: number, sides: number) => (value - 0.5) / sides;
const faces = (sides: number, ...values: number[]) => scriptedRandom(values.map((v) => face(v, sides)));

describe('parseDice', () => {
  it.each([
    ['d20', '1d20'],
    ['2d6+3', '2d6+3'],
    ['4d6kh3', '4d6kh3'],
    ['4d6k3', '4d6kh3'],
    ['4d6kl1', '4d6kl1'],
    ['4d6dl1', '4d6dl1'],
    ['4d6d1', '4d6dl1'],
    ['d%', '1d100'],
    ['2d20kh1', '2d20kh1'],
    ['1d8+1d6+2', '1d8+1d6+2'],
    ['1d8 + 1d6 - 2', '1d8+1d6-2'],
    ['D20+5', '1d20+5'],
    ['adv', '2d20kh1'],
    ['dis', '2d20kl1'],
    ['advantage', '2d20kh1'],
    ['d20 adv', '2d20kh1'],
    ['d20+5 adv', '2d20kh1+5'],
    ['d20-1 dis', '2d20kl1-1'],
    ['100d1000', '100d1000'],
  ])('%s → %s', (input, notation) => {
    expect(parseDice(input).notation).toBe(notation);
  });

  it('builds the AST', () => {
    expect(parseDice('4d6kh3-2').terms).toEqual([
      { kind: 'dice', sign: 1, count: 4, sides: 6, keep: { mode: 'kh', n: 3 } },
      { kind: 'constant', sign: -1, value: 2 },
    ]);
  });

  it.each([
    ['', 'empty'],
    ['banana', '"banana" is not a dice term'],
    ['2d', '"2d" is not a dice term'],
    ['5', 'no dice'],
    ['2d6+', 'nothing after it'],
    ['2d6*3', 'unexpected "*"'],
    ['101d6', 'at most 100 dice'],
    ['60d6+60d6', 'at most 100 dice in total'],
    ['d1001', 'at most 1000 sides'],
    ['d0', 'no sides'],
    ['0d6', 'rolls no dice'],
    ['4d6kh5', 'keep between 1 and 4'],
    ['4d6kh0', 'keep between 1 and 4'],
    ['4d6dl4', 'drop fewer than 4'],
    ['2d6 adv', 'needs a single d20'],
  ])('rejects %j naming the problem and the valid forms', (input, problem) => {
    const attempt = () => parseDice(input);
    expect(attempt).toThrow(DiceError);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow('Valid forms: d20, 2d6+3');
  });
});

describe('rollDice', () => {
  it('keeps the highest three of 4d6 and strikes the dropped die', () => {
    const result = roll('4d6kh3', faces(6, 6, 5, 3, 1));
    expect(result.total).toBe(14);
    expect(result.text).toBe('4d6kh3: [6, 5, 3, ~~1~~] = 14');
    expect(result.rolls.map((d) => [d.value, d.kept])).toEqual([
      [6, true],
      [5, true],
      [3, true],
      [1, false],
    ]);
  });

  it('drops or keeps the lowest', () => {
    expect(roll('4d6dl1', faces(6, 2, 6, 4, 3)).total).toBe(13);
    expect(roll('4d6kl1', faces(6, 2, 6, 4, 3)).total).toBe(2);
    expect(roll('4d6dh1', faces(6, 2, 6, 4, 3)).total).toBe(9);
  });

  it('drops only one of two equal lowest dice', () => {
    const result = roll('3d6dl1', faces(6, 2, 2, 5));
    expect(result.total).toBe(7);
    expect(result.rolls.filter((d) => !d.kept)).toHaveLength(1);
  });

  it('adds several terms and modifiers', () => {
    const result = roll('1d8+1d6-2', scriptedRandom([face(5, 8), face(3, 6)]));
    expect(result.total).toBe(6);
    expect(result.text).toBe('1d8+1d6-2: [5] + [3] - 2 = 6');
  });

  it('notes the natural d20, also under advantage', () => {
    expect(roll('d20+3', faces(20, 20)).natural).toBe(20);
    expect(roll('d20 adv', faces(20, 1, 17)).natural).toBe(17);
    expect(roll('d20 dis', faces(20, 1, 17)).natural).toBe(1);
    expect(roll('2d6', faces(6, 1, 1)).natural).toBeUndefined();
  });

  it('has a sane distribution with a seeded source', () => {
    const random = seededRandom(42);
    const expression = parseDice('d20');
    const counts = new Array<number>(21).fill(0);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const { total } = rollDice(expression, random);
      sum += total;
      counts[total] = (counts[total] ?? 0) + 1;
    }
    expect(sum / 10_000).toBeGreaterThan(10.3);
    expect(sum / 10_000).toBeLessThan(10.7);
    expect(counts[0]).toBe(0);
    for (let f = 1; f <= 20; f++) expect(counts[f]).toBeGreaterThan(400);
  });

  it('kh3 never keeps the lowest die, and advantage beats a plain d20 on average', () => {
    const random = seededRandom(7);
    const stats = parseDice('4d6kh3');
    const violations: number[][] = [];
    for (let i = 0; i < 2000; i++) {
      const result = rollDice(stats, random);
      const kept = result.rolls.filter((d) => d.kept).map((d) => d.value);
      const dropped = result.rolls.filter((d) => !d.kept).map((d) => d.value);
      if (kept.length !== 3 || dropped.length !== 1 || Math.min(...kept) < dropped[0]!) violations.push(result.rolls.map((d) => d.value));
    }
    expect(violations).toEqual([]);
    let adv = 0;
    const advantage = parseDice('adv');
    for (let i = 0; i < 5000; i++) adv += rollDice(advantage, random).total;
    expect(adv / 5000).toBeGreaterThan(13.2); // expected 13.825
    expect(adv / 5000).toBeLessThan(14.4);
  });

  it('never leaves the die range even if the source returns 1', () => {
    expect(roll('d6', scriptedRandom([1])).total).toBe(6);
    expect(roll('d6', scriptedRandom([0])).total).toBe(1);
  });
});

describe('checks', () => {
  it('parses notation, difficulty and action', () => {
    expect(parseCheck('d20+2 vs 15 pick the lock')).toMatchObject({ notation: 'd20+2', dc: 15, action: 'pick the lock' });
    expect(parseCheck('d20 adv vs DC 12')).toMatchObject({ notation: 'd20 adv', dc: 12, action: '' });
    expect(parseCheck('2d6 vs. 7 jump')).toMatchObject({ dc: 7, action: 'jump' });
    expect(isCheck('d20 vs 15 x')).toBe(true);
    expect(isCheck('d20+5')).toBe(false);
  });

  it('rejects bad checks clearly', () => {
    expect(() => parseCheck('d20 pick the lock')).toThrow('write <dice> vs <number>');
    expect(() => parseCheck('d20 vs 0 x')).toThrow('between 1 and 1000');
    expect(() => parseCheck('d2x vs 10')).toThrow('is not valid dice notation');
  });

  it('succeeds when the total meets the difficulty and notes naturals', () => {
    const success = rollCheck('d20+2 vs 15 pick the lock', faces(20, 13));
    expect(success.outcome).toBe('success');
    expect(success.text).toBe('pick the lock — 1d20+2 vs 15: [13] + 2 = 15 → success');
    const fumble = rollCheck('d20+30 vs 15 climb', faces(20, 1));
    expect(fumble).toMatchObject({ outcome: 'success', critical: 'natural1' });
    expect(fumble.text).toContain('(natural 1)');
    const crit = rollCheck('d20 vs 25 leap', faces(20, 20));
    expect(crit).toMatchObject({ outcome: 'failure', critical: 'natural20' });
  });
});

describe('dice properties', () => {
  it('any input either parses or fails with a DiceError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        try {
          parseDice(text);
        } catch (error) {
          expect(error).toBeInstanceOf(DiceError);
        }
      }),
    );
  });

  it('every roll stays between the smallest and largest possible total', () => {
    const term = fc.record({ count: fc.integer({ min: 1, max: 10 }), sides: fc.integer({ min: 1, max: 30 }), mod: fc.integer({ min: -50, max: 50 }) });
    fc.assert(
      fc.property(term, fc.integer(), ({ count, sides, mod }, seed) => {
        const notation = `${count}d${sides}${mod < 0 ? '' : '+'}${mod}`;
        const { total, rolls } = roll(notation, seededRandom(seed));
        expect(total).toBeGreaterThanOrEqual(count + mod);
        expect(total).toBeLessThanOrEqual(count * sides + mod);
        expect(rolls).toHaveLength(count);
      }),
    );
  });
});
