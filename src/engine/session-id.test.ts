import { describe, expect, it } from 'vitest';
import { seededRandom, sequenceRandom } from './testing/fakes.ts';
import { newSessionId } from './session-id.ts';

describe('newSessionId', () => {
  it('draws 12 hex digits', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 50; i++) expect(newSessionId(random, () => false)).toMatch(/^[0-9a-f]{12}$/);
  });
  it('skips ids already taken', () => {
    const taken = new Set(['000000000000']);
    expect(newSessionId(sequenceRandom([...Array<number>(12).fill(0), 0.5]), (id) => taken.has(id))).toBe('888888888888');
  });
  it('fails loudly instead of looping forever on a constant source', () => {
    expect(() => newSessionId(sequenceRandom([0]), () => true)).toThrow(/unused session id/);
  });
});
