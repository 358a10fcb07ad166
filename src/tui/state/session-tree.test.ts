import { describe, expect, it } from 'vitest';
import { sessionTree } from './session-tree.ts';

const s = (id: string) => ({ id, name: `[w] c: ${id}` });

describe('sessionTree', () => {
  it('puts branches under their parent, indented, keeping the engine order otherwise', () => {
    const sessions = [s('b2'), s('a'), s('b1'), s('c'), s('b1x')];
    const tree = sessionTree(sessions, { b1: 'a', b2: 'a', b1x: 'b1' });
    expect(tree.map((item) => item.name)).toEqual(['[w] c: a', '↳ [w] c: b2', '↳ [w] c: b1', '  ↳ [w] c: b1x', '[w] c: c']);
  });
  it('leaves a branch of an unlisted parent at the top, and survives a cycle', () => {
    expect(sessionTree([s('x'), s('y')], { x: 'gone' }).map((i) => i.id)).toEqual(['x', 'y']);
    expect(sessionTree([s('x'), s('y')], { x: 'y', y: 'x' }).map((i) => i.id).sort()).toEqual(['x', 'y']);
    expect(sessionTree([s('x')], undefined)).toEqual([s('x')]);
  });
});
