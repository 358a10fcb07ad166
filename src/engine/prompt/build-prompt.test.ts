import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextWindow, requestTokens } from '../context/budget.ts';
import type { LoreChunk, MemoryRecord, MessageRecord } from '../ports.ts';
import { testCharacter, testRule } from '../testing/fake-content.ts';
import { testModel } from '../testing/scripted-models.ts';
import { CachedTokenCounter } from '../tokens.ts';
import { buildPrompt, type EntryCandidate, type PromptInput, USER_CUT_NOTE } from './build-prompt.ts';
import { frameNote, NOTE_SHARE } from './note.ts';

let nextId = 1;
const message = (role: 'user' | 'assistant' | 'system', content: string, id = nextId++): MessageRecord => ({
  id,
  sessionId: 's',
  role,
  content,
  characterId: 'c',
  status: 'complete',
  model: 'm',
  tokens: 0,
  reasoning: '',
  createdAt: id,
});
const lore = (id: number, text: string): LoreChunk => ({ id, worldId: 'w', text, source: 'file' });
const memory = (id: number, text: string, messageIds: number[] = []): MemoryRecord => ({ id, sessionId: 's', text, messageIds, createdAt: 1 });
const entry = (id: string, content: string, extra: Partial<EntryCandidate> = {}): EntryCandidate => ({
  id,
  label: id,
  content,
  constant: false,
  key: id,
  trigger: 'message',
  ...extra,
});
const words = (n: number, word = 'lorem'): string => Array.from({ length: n }, (_, i) => `${word}${i % 7}`).join(' ');

const input = (extra: Partial<PromptInput> = {}): PromptInput => ({
  window: contextWindow(undefined),
  baseRules: 'BASE',
  rules: [testRule('grim', 'GRIM LAW'), testRule('fast', 'FAST LAW')],
  worldId: 'w',
  worldName: 'World',
  worldPrompt: 'WORLD PROMPT',
  character: testCharacter('c', { name: 'Mara', persona: 'A smuggler.' }),
  scene: 'THE SCENE',
  entries: [],
  lore: [lore(1, 'LORE ONE'), lore(2, 'LORE TWO')],
  memories: [memory(1, 'User: hi\nAI: MEMORY')],
  history: [],
  userText: 'I draw my blade.',
  ...extra,
});

describe('buildPrompt layout', () => {
  it('puts stable sections first, volatile ones under CURRENT CONTEXT, then the closing line and the user message', () => {
    const built = buildPrompt(
      input({
        summary: { text: 'SUMMARY TEXT', coversUpToMessageId: 7 },
        entries: [entry('always', 'CONSTANT ENTRY', { constant: true, key: '', trigger: 'constant' }), entry('bells', 'KEYWORD ENTRY')],
      }),
    );
    expect(built.messages).toHaveLength(2);
    expect(built.messages[0]).toEqual({
      role: 'system',
      content: [
        'BASE',
        '### UNIVERSAL LAWS ###\nGRIM LAW\nFAST LAW',
        'WORLD PROMPT',
        '### THE PLAYER CHARACTER ###\nName: Mara\nPersona: A smuggler.',
        'CONSTANT ENTRY',
        '### CURRENT CONTEXT ###\nScene:\nTHE SCENE\nStory so far:\nSUMMARY TEXT\nLore entries:\nKEYWORD ENTRY\nRelevant lore:\n- LORE ONE\n- LORE TWO\nMemories of earlier exchanges:\n- User: hi\nAI: MEMORY',
        'Never break character.',
      ].join('\n\n'),
    });
    expect(built.messages[1]).toEqual({ role: 'user', content: 'I draw my blade.' });
    expect(built.blocks.map((block) => block.kind)).toEqual([
      'base_rules', 'rule', 'rule', 'world_prompt', 'character', 'constant_entry',
      'scene', 'summary', 'entry', 'lore', 'lore', 'memory', 'closing', 'user_message',
    ]);
    expect(built.leftOut).toEqual([]);
  });

  it('leaves out empty sections and the scene after the first turn', () => {
    const bare = buildPrompt(input({ rules: [], worldPrompt: '', scene: '', lore: [], memories: [], baseRules: '' }));
    expect(bare.messages[0]?.content).toBe('### THE PLAYER CHARACTER ###\nName: Mara\nPersona: A smuggler.\n\nNever break character.');
  });

  it('records each block with its source and token count', () => {
    const built = buildPrompt(input({ entries: [entry('bells', 'The bells wake the golem.', { key: 'bells', label: 'Bells' })] }));
    const byKind = (kind: string) => built.blocks.filter((block) => block.kind === kind);
    expect(byKind('rule').map((block) => block.source)).toEqual([{ id: 'grim' }, { id: 'fast' }]);
    expect(byKind('entry')).toEqual([{ kind: 'entry', label: 'Bells', source: { id: 'bells', key: 'bells', trigger: 'message' }, tokens: expect.any(Number) }]);
    expect(byKind('lore').map((block) => block.source)).toEqual([{ chunk_id: 1 }, { chunk_id: 2 }]);
    expect(byKind('memory').map((block) => block.source)).toEqual([{ memory_id: 1 }]);
    expect(built.blocks.every((block) => block.tokens > 0)).toBe(true);
    expect(built.totalTokens).toBe(requestTokens(built.messages));
  });
});

describe('buildPrompt history', () => {
  it('sends user/assistant messages oldest first, skipping system notes', () => {
    const history = Array.from({ length: 14 }, (_, i) => message(i % 2 === 0 ? 'user' : 'assistant', `m${i}`));
    history.splice(12, 0, message('system', 'a system note'));
    const built = buildPrompt(input({ history }));
    expect(built.messages.slice(1).map((m) => m.content)).toEqual([...history.filter((m) => m.role !== 'system').map((m) => m.content), 'I draw my blade.']);
    const block = built.blocks.find((b) => b.kind === 'history');
    expect(block?.source).toEqual({ from_message_id: history[0]?.id, to_message_id: history.at(-1)?.id, message_count: 14 });
  });

  it('keeps at least the last 10 messages when they fit, even when retrieval would fill the budget', () => {
    const history = Array.from({ length: 40 }, (_, i) => message(i % 2 === 0 ? 'user' : 'assistant', `${i} ${words(15)}`));
    const big = Array.from({ length: 8 }, (_, i) => lore(i + 1, words(200, `chunk${i}`)));
    const built = buildPrompt(input({ window: contextWindow(testModel('p/small', { contextLength: 2048 })), history, lore: big }));
    const sent = built.messages.slice(1, -1).map((m) => m.content);
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent).toEqual(history.slice(-sent.length).map((m) => m.content));
    expect(built.totalTokens).toBeLessThanOrEqual(2048 - 1024);
    const outHistory = built.leftOut.find((block) => block.kind === 'history');
    expect(outHistory).toMatchObject({ reason: 'budget', source: { from_message_id: history[0]?.id, message_count: 40 - sent.length } });
  });

  it('takes more than 10 messages when there is room', () => {
    const history = Array.from({ length: 30 }, (_, i) => message(i % 2 === 0 ? 'user' : 'assistant', `short ${i}`));
    const built = buildPrompt(input({ history }));
    expect(built.messages).toHaveLength(32);
  });

  it('passes over memories whose exchange is in the history already', () => {
    const user = message('user', 'I ring the bells.');
    const answer = message('assistant', 'The golem wakes.');
    const built = buildPrompt(input({ history: [user, answer], memories: [memory(9, 'User: I ring the bells.\nAI: The golem wakes.', [user.id, answer.id]), memory(3, 'older memory')] }));
    expect(built.messages[0]?.content).not.toContain('- User: I ring the bells.');
    expect(built.messages[0]?.content).toContain('- older memory');
    expect(built.leftOut).toEqual([expect.objectContaining({ kind: 'memory', source: { memory_id: 9 }, reason: 'in_history' })]);
  });
});

describe('buildPrompt budgets', () => {
  it('keeps higher-order entries when the entries budget is tight, and says why the others were left out', () => {
    const entries = [entry('high', words(100, 'high')), entry('mid', words(100, 'mid')), entry('low', words(100, 'low'))];
    const built = buildPrompt(input({ window: contextWindow(testModel('p/small', { contextLength: 4096 })), entries }));
    const kept = built.blocks.filter((block) => block.kind === 'entry').map((block) => block.source.id);
    const out = built.leftOut.filter((block) => block.kind === 'entry');
    expect(kept[0]).toBe('high');
    expect(out.length).toBeGreaterThan(0);
    expect(out.at(-1)).toMatchObject({ source: { id: 'low' }, reason: 'budget', detail: expect.stringMatching(/entries budget is \d+ tokens/) });
  });

  it('cuts a user message larger than the whole budget, with a note, and still fits', () => {
    const window = contextWindow(testModel('p/small', { contextLength: 2048 }));
    const built = buildPrompt(input({ window, userText: words(5000) }));
    const user = built.messages.at(-1)?.content ?? '';
    expect(user.endsWith(USER_CUT_NOTE)).toBe(true);
    expect(built.blocks.at(-1)).toMatchObject({ kind: 'user_message', truncated: true });
    expect(requestTokens(built.messages)).toBeLessThanOrEqual(window.inputBudget);
    expect(built.messages[0]?.content).toContain('BASE');
    expect(built.messages[0]?.content).toContain('Name: Mara');
  });

  it('drops rules before cutting the world instructions, and never drops the base rules or the character', () => {
    const window = contextWindow(testModel('p/tiny', { contextLength: 1024 }));
    const built = buildPrompt(input({ window, worldPrompt: words(900, 'world'), rules: [testRule('grim', words(300, 'grim'))] }));
    const system = built.messages[0]?.content ?? '';
    expect(system.startsWith('BASE')).toBe(true);
    expect(system).toContain('Name: Mara');
    expect(built.leftOut).toContainEqual(expect.objectContaining({ kind: 'rule', source: { id: 'grim' }, reason: 'context_full' }));
    expect(built.blocks.find((block) => block.kind === 'world_prompt')).toMatchObject({ truncated: true });
    expect(requestTokens(built.messages)).toBeLessThanOrEqual(window.inputBudget);
  });

  it('never exceeds the context minus the reply budget, whatever the session (property)', () => {
    const piece = fc.constantFrom('word', 'bells', 'golem', '🌊', 'über', '\n', '###', 'a');
    const text = fc.array(piece, { maxLength: 400 }).map((parts) => parts.join(' '));
    // Notes (and world instructions) from none to far over their room, so some notes are kept
    // whole, some cut and some dropped.
    const long = fc.array(piece, { minLength: 200, maxLength: 4000 }).map((parts) => parts.join(' '));
    const note = fc.oneof(text, long);
    const notes = { kept: 0, cut: 0, out: 0 };
    fc.assert(
      fc.property(
        fc.record({
          contextLength: fc.integer({ min: 512, max: 6000 }),
          history: fc.array(text, { maxLength: 60 }),
          lore: fc.array(text, { maxLength: 6 }),
          memories: fc.array(text, { maxLength: 6 }),
          entries: fc.array(text, { maxLength: 6 }),
          world: fc.oneof(text, long),
          user: text,
          summary: text,
          note,
          hidden: fc.array(fc.boolean(), { maxLength: 60 }),
        }),
        (c) => {
          const window = contextWindow(testModel('p/x', { contextLength: c.contextLength }));
          const built = buildPrompt(
            input({
              window,
              worldPrompt: c.world,
              history: c.history.map((content, i) => ({ ...message(i % 2 ? 'assistant' : 'user', `${i}: ${content}`), ...(c.hidden[i] ? { hidden: true } : {}) })),
              lore: c.lore.map((t, i) => lore(i, t)),
              memories: c.memories.map((t, i) => memory(i, t)),
              entries: c.entries.map((t, i) => entry(`e${i}`, t)),
              summary: { text: c.summary, coversUpToMessageId: 1 },
              userText: c.user || 'go',
              note: c.note,
            }),
          );
          expect(requestTokens(built.messages)).toBeLessThanOrEqual(window.inputBudget);
          expect(built.totalTokens).toBe(requestTokens(built.messages));
          expect(built.messages.at(-1)?.role).toBe('user');
          // The note is never in the system message; when kept, it leads the last message.
          const noteBlock = built.blocks.find((block) => block.kind === 'note');
          const last = built.messages.at(-1)?.content ?? '';
          expect(built.messages[0]?.content).not.toContain("[Author's note:");
          expect(last.startsWith("[Author's note: ")).toBe(noteBlock !== undefined);
          if (c.note.trim() !== '') expect(noteBlock ?? built.leftOut.find((block) => block.kind === 'note')).toBeDefined();
          if (noteBlock) notes[noteBlock.truncated ? 'cut' : 'kept']++;
          else if (c.note.trim() !== '') notes.out++;
          // Hidden messages never reach the model.
          const sent = new Set(built.messages.slice(1, -1).map((m) => m.content));
          c.history.forEach((content, i) => {
            if (c.hidden[i]) expect(sent.has(`${i}: ${content}`)).toBe(false);
          });
        },
      ),
      { numRuns: 150, seed: 7 },
    );
    // The runs did exercise every way a note can go.
    expect(Math.min(notes.kept, notes.cut, notes.out)).toBeGreaterThan(0);
  });

  it('builds the same prompt with a token cache, cold or warm, as without one (property)', () => {
    // Small limits so the cache also evicts during the run; one cache across all runs, as an engine keeps one.
    const tokens = new CachedTokenCounter({ maxEntries: 64, maxChars: 20_000, minLength: 0 });
    const text = fc.array(fc.constantFrom('word', 'bells', 'golem', '🌊', 'über', '\n', '###', 'a'), { maxLength: 300 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(
        fc.record({
          contextLength: fc.integer({ min: 512, max: 6000 }),
          history: fc.array(text, { maxLength: 60 }),
          lore: fc.array(text, { maxLength: 6 }),
          world: text,
          user: text,
          summary: text,
          note: text,
        }),
        (c) => {
          const prompt = input({
            window: contextWindow(testModel('p/x', { contextLength: c.contextLength })),
            worldPrompt: c.world,
            history: c.history.map((content, i) => message(i % 2 ? 'assistant' : 'user', content, i + 1)),
            lore: c.lore.map((t, i) => lore(i, t)),
            summary: { text: c.summary, coversUpToMessageId: 1 },
            userText: c.user || 'go',
            note: c.note,
          });
          const uncached = buildPrompt(prompt);
          expect(buildPrompt({ ...prompt, tokens })).toEqual(uncached);
          expect(buildPrompt({ ...prompt, tokens })).toEqual(uncached);
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });
});

describe("buildPrompt: the author's note", () => {
  const note = 'Keep the tone grim; Mara is hiding something.';

  it('leads the last user message, after the history; the system message is the same as without it', () => {
    const history = [message('user', 'I wave.'), message('assistant', 'The guard nods.')];
    const plain = buildPrompt(input({ history }));
    const built = buildPrompt(input({ history, note }));
    expect(built.messages[0]).toEqual(plain.messages[0]);
    expect(built.messages.slice(1, -1)).toEqual(plain.messages.slice(1, -1));
    expect(built.messages.at(-1)).toEqual({ role: 'user', content: `[Author's note: ${note}]\n\nI draw my blade.` });
    expect(built.blocks.map((block) => block.kind).slice(-4)).toEqual(['closing', 'history', 'note', 'user_message']);
    expect(built.blocks.find((block) => block.kind === 'note')).toEqual({ kind: 'note', label: "Author's note", source: {}, tokens: expect.any(Number) });
    expect(built.budgets['note']).toBe(Math.floor(built.budgets['input']! * NOTE_SHARE));
    expect(built.totalTokens).toBe(requestTokens(built.messages));
    expect(built.totalTokens).toBeGreaterThan(plain.totalTokens);
  });

  it('costs nothing and leaves no block when there is none', () => {
    const built = buildPrompt(input({ note: '   ' }));
    expect(built.blocks.some((block) => block.kind === 'note')).toBe(false);
    expect(built.messages.at(-1)?.content).toBe('I draw my blade.');
    expect(built.budgets).not.toHaveProperty('note');
  });

  it('is cut to an eighth of the input budget when long, and the request still fits', () => {
    const window = contextWindow(testModel('p/small', { contextLength: 2048 }));
    const history = Array.from({ length: 20 }, (_, i) => message(i % 2 ? 'assistant' : 'user', `${i} ${words(20)}`));
    const built = buildPrompt(input({ window, history, note: words(3000, 'grim') }));
    const block = built.blocks.find((b) => b.kind === 'note');
    expect(block).toMatchObject({ truncated: true });
    expect(block!.tokens).toBeLessThanOrEqual(Math.floor(window.inputBudget * NOTE_SHARE) + 2);
    const last = built.messages.at(-1)?.content ?? '';
    expect(last.startsWith("[Author's note: grim0 grim1")).toBe(true);
    expect(last).toMatch(/…\]\n\nI draw my blade\.$/);
    expect(requestTokens(built.messages)).toBeLessThanOrEqual(window.inputBudget);
    // The recent history is still there.
    expect(built.messages.length).toBeGreaterThan(10);
  });

  it('gives way when the stable core fills the context, saying so', () => {
    const window = contextWindow(testModel('p/tiny', { contextLength: 1024 }));
    const built = buildPrompt(input({ window, baseRules: words(460, 'base'), note }));
    expect(requestTokens(built.messages)).toBeLessThanOrEqual(window.inputBudget);
    expect(built.messages.at(-1)?.content).toBe('I draw my blade.');
    expect(built.leftOut).toContainEqual(expect.objectContaining({ kind: 'note', label: "Author's note", reason: 'context_full' }));
  });

  it('is framed as an instruction', () => {
    expect(frameNote('Rain all day.')).toBe("[Author's note: Rain all day.]");
  });
});

describe('buildPrompt: hidden messages', () => {
  it('leaves them out of the history sent, the history block counting only what was sent', () => {
    const shown1 = message('user', 'I wave.');
    const secret = { ...message('assistant', 'SECRET REPLY'), hidden: true };
    const shown2 = message('user', 'I bow.');
    const built = buildPrompt(input({ history: [shown1, secret, shown2] }));
    expect(built.messages.map((m) => m.content)).not.toContain('SECRET REPLY');
    expect(built.messages.slice(1).map((m) => m.content)).toEqual(['I wave.', 'I bow.', 'I draw my blade.']);
    expect(built.blocks.find((block) => block.kind === 'history')?.source).toEqual({ from_message_id: shown1.id, to_message_id: shown2.id, message_count: 2 });
  });
});
