import { describe, expect, it } from 'vitest';
import { titleFrom } from './title.ts';

describe('titleFrom', () => {
  it('keeps short messages whole on one line', () => {
    expect(titleFrom('  I open\nthe door  ')).toBe('I open the door');
  });
  it('cuts after 60 characters and adds …', () => {
    expect(titleFrom('a'.repeat(61))).toBe(`${'a'.repeat(60)}…`);
    expect(titleFrom('a'.repeat(60))).toBe('a'.repeat(60));
  });
});
