import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../ports.ts';
import { bindRolls, bindingLine, rollsBefore } from './dice-messages.ts';
import { parseMessageRange } from './hiding.ts';
import { exchanges } from './memory-sync.ts';
import { numberMessages, parseMessageNumber } from './numbering.ts';
import { swipeInfo } from './swipes.ts';

let nextId = 1;
const message = (role: MessageRecord['role'], content: string, status: MessageRecord['status'] = 'complete'): MessageRecord => ({
  id: nextId++,
  sessionId: 's',
  role,
  content,
  characterId: 'c',
  status,
  model: '',
  tokens: 0,
  reasoning: '',
  createdAt: 0,
});

describe('message numbers', () => {
  it('count visible messages of every role from 1, skipping empty and streaming ones', () => {
    const list = [message('assistant', 'Hi'), message('assistant', '', 'failed'), message('system', '🎲 roll'), message('user', 'Go'), message('assistant', 'Par', 'streaming')];
    expect(numberMessages(list).map(({ n, message: m }) => [n, m.content])).toEqual([
      [1, 'Hi'],
      [2, '🎲 roll'],
      [3, 'Go'],
    ]);
  });
  it('parse only positive whole numbers', () => {
    expect(['1', '42', '0', '-1', '1.5', 'x', ''].map(parseMessageNumber)).toEqual([1, 42, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('alternatives', () => {
  it('the chosen one is the position no parked alternative holds', () => {
    expect(swipeInfo([])).toEqual({ index: 0, count: 1 });
    expect(swipeInfo([1, 2])).toEqual({ index: 0, count: 3 });
    expect(swipeInfo([0, 2])).toEqual({ index: 1, count: 3 });
    expect(swipeInfo([0, 1])).toEqual({ index: 2, count: 3 });
  });
});

describe('exchanges', () => {
  it('pair each reply with the player message it answers, across system lines', () => {
    const greeting = message('assistant', 'Welcome.');
    const move = message('user', 'I wave.');
    const roll = message('system', '🎲 roll');
    const answer = message('assistant', 'A wave back.');
    const orphan = message('assistant', 'More.');
    expect(exchanges([greeting, move, roll, answer, orphan]).map((e) => [e.user.id, e.reply.id])).toEqual([[move.id, answer.id]]);
  });
});

describe('hidden messages', () => {
  it('make no memories: a hidden reply, or a reply to a hidden move, pairs with nothing', () => {
    const move = message('user', 'I wave.');
    const hiddenReply = { ...message('assistant', 'A secret.'), hidden: true };
    const hiddenMove = { ...message('user', 'I whisper.'), hidden: true };
    const answer = message('assistant', 'Nothing.');
    const move2 = message('user', 'I bow.');
    const answer2 = message('assistant', 'A bow back.');
    expect(exchanges([move, hiddenReply, hiddenMove, answer, move2, answer2]).map((e) => [e.user.id, e.reply.id])).toEqual([[move2.id, answer2.id]]);
  });

  it('bind no dice when the roll is hidden', () => {
    const hiddenRoll = { ...message('system', '🎲 A rolled 1d6: [2] = 2'), hidden: true };
    const roll = message('system', '🎲 A rolled 1d6: [5] = 5');
    const move = message('user', 'I climb.');
    expect(rollsBefore([hiddenRoll, roll, move], move.id)).toEqual([roll]);
  });

  it('are picked by number or range as the chat shows them, with clear problems', () => {
    expect(parseMessageRange('3', 5)).toEqual({ ok: true, from: 3, to: 3 });
    expect(parseMessageRange('2-4', 5)).toEqual({ ok: true, from: 2, to: 4 });
    expect(parseMessageRange('2 – 5', 5)).toEqual({ ok: true, from: 2, to: 5 });
    expect(parseMessageRange('4-2', 5)).toEqual({ ok: false, problem: 'runs backwards: write the lower number first (2-4)' });
    expect(parseMessageRange('0', 5)).toEqual({ ok: false, problem: 'is outside the chat: messages are numbered 1 to 5' });
    expect(parseMessageRange('3-9', 5)).toEqual({ ok: false, problem: 'is outside the chat: messages are numbered 1 to 5' });
    expect(parseMessageRange('last', 5)).toEqual({ ok: false, problem: 'is not a message number or range (N or N-M): messages are numbered 1 to 5' });
    expect(parseMessageRange('1,3', 5).ok).toBe(false);
    expect(parseMessageRange('1', 0)).toEqual({ ok: false, problem: 'is outside the chat: the session has no messages yet' });
  });
});

describe('dice in the prompt', () => {
  it('the rolls right before a move bind it; earlier ones do not', () => {
    const old = message('system', '🎲 A rolled 1d6: [2] = 2');
    const reply = message('assistant', 'Ok.');
    const note = message('system', 'not a roll');
    const check = message('system', '🎲 A: climb — 1d20 vs 10: [15] = 15 → SUCCESS');
    const move = message('user', 'I climb.');
    expect(rollsBefore([old, reply, note, check, move], move.id)).toEqual([check]);
    const prompt = bindRolls([{ role: 'system', content: 'S' }, { role: 'user', content: 'I climb.' }], [check]);
    expect(prompt[1]?.content).toBe(`${bindingLine(check.content)}\n\nI climb.`);
    expect(bindingLine('🎲 A rolled 2d6: [3, 4] = 7')).toBe('[Dice] A rolled 2d6: [3, 4] = 7 — use this result as rolled.');
    expect(bindingLine('🎲 A: x — 1d20 vs 10: [2] = 2 → FAILURE')).toMatch(/FAILURE: narrate the action failing/);
  });
});
