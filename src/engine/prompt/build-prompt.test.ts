import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../ports.ts';
import { testCharacter, testRule, testWorld } from '../testing/fake-content.ts';
import { buildPrompt, type PromptInput } from './build-prompt.ts';

const input = (extra: Partial<PromptInput> = {}): PromptInput => ({
  systemRules: 'BASE',
  activeRules: [testRule('grim', 'GRIM LAW'), testRule('fast', 'FAST LAW')],
  world: testWorld('w', { systemPrompt: 'WORLD PROMPT', scene: 'THE SCENE' }),
  character: testCharacter('c', { name: 'Mara', persona: 'A smuggler.' }),
  firstTurn: true,
  lore: ['LORE ONE', 'LORE TWO'],
  memories: ['User: hi\nAI: MEMORY'],
  history: [],
  userMessage: 'I draw my blade.',
  ...extra,
});

describe('buildPrompt', () => {
  it('puts the system sections in order, joined by blank lines, then the new user message', () => {
    const messages = buildPrompt(input());
    expect(messages).toHaveLength(2);
    expect(messages[0]).toEqual({
      role: 'system',
      content: [
        'BASE',
        '### UNIVERSAL LAWS ###\nGRIM LAW\nFAST LAW',
        'WORLD PROMPT',
        '### THE PLAYER CHARACTER ###\nName: Mara\nPersona: A smuggler.',
        '### CURRENT CONTEXT ###\nScene:\nTHE SCENE\nRelevant lore:\n- LORE ONE\n- LORE TWO\nMemories of earlier exchanges:\n- User: hi\nAI: MEMORY',
        'Never break character.',
      ].join('\n\n'),
    });
    expect(messages[1]).toEqual({ role: 'user', content: 'I draw my blade.' });
  });

  it('gives the scene on the first turn only', () => {
    const later = buildPrompt(input({ firstTurn: false }))[0]?.content ?? '';
    expect(later).not.toContain('THE SCENE');
    expect(later).toContain('### CURRENT CONTEXT ###\nRelevant lore:');
  });

  it('leaves out empty sections', () => {
    const bare = buildPrompt(
      input({ activeRules: [], world: testWorld('w'), firstTurn: false, lore: [], memories: [], systemRules: '' }),
    );
    expect(bare[0]?.content).toBe('### THE PLAYER CHARACTER ###\nName: Mara\nPersona: A smuggler.\n\nNever break character.');
  });

  it('sends the last 10 user/assistant messages before the new one, oldest first', () => {
    const history: ChatMessage[] = Array.from({ length: 14 }, (_, i) => ({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: `m${i}`,
    }));
    history.splice(12, 0, { role: 'system', content: 'a system note' });
    const messages = buildPrompt(input({ history }));
    expect(messages.slice(1).map((m) => m.content)).toEqual([
      'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12', 'm13', 'I draw my blade.',
    ]);
  });

  it('fills {{user}} and {{char}} of imported cards with the player and narrator names', () => {
    const world = testWorld('w', { systemPrompt: '{{char}} speaks to {{user}}.', narratorName: 'Seraphina' });
    expect(buildPrompt(input({ world }))[0]?.content).toContain('Seraphina speaks to Mara.');
  });
});
