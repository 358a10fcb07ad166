import { describe, expect, it } from 'vitest';
import { scriptedRandom, seededRandom } from '../dice/seeded-random.ts';
import { expandMacros } from './expand.ts';

const context = (values: number[] = [0]) => ({ char: 'Seraphina', user: 'Aria', random: scriptedRandom(values) });

describe('expandMacros', () => {
  it('replaces {{char}} and {{user}} in any case and spacing', () => {
    expect(expandMacros('{{char}} greets {{user}}. {{CHAR}}/{{ User }}', context())).toBe('Seraphina greets Aria. Seraphina/Aria');
  });

  it('replaces legacy <BOT>, <CHAR> and <USER>', () => {
    expect(expandMacros('<BOT> looks at <user>; <char> smiles', context())).toBe('Seraphina looks at Aria; Seraphina smiles');
  });

  it('picks from {{random:a,b,c}} with the random source, trimming options', () => {
    expect(expandMacros('{{random: red, green, blue}}', context([0]))).toBe('red');
    expect(expandMacros('{{random:red,green,blue}}', context([0.5]))).toBe('green');
    expect(expandMacros('{{random:red,green,blue}}', context([0.99]))).toBe('blue');
  });

  it('supports {{random::a::b}} whose options may hold commas', () => {
    expect(expandMacros('{{random::rain, cold::sun, warm}}', context([0.7]))).toBe('sun, warm');
  });

  it('expands names inside random options', () => {
    expect(expandMacros('{{random:{{char}},{{user}}}}', context([0.9]))).toBe('Aria');
  });

  it('covers every option over many draws', () => {
    const random = seededRandom(3);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(expandMacros('{{random:a,b,c,d}}', { char: 'c', user: 'u', random }));
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('leaves unknown and empty macros untouched', () => {
    const text = 'Keep {{time}}, {{getvar::x}}, {{random:}}, {{random}} and <b>bold</b>.';
    expect(expandMacros(text, context())).toBe(text);
  });

  it('returns text without macros unchanged', () => {
    expect(expandMacros('plain text', context())).toBe('plain text');
  });
});
