/** The request that folds the turns that left the history window into a session's summary. */
import type { ChatMessage, MessageRecord } from '../ports.ts';

export const SUMMARY_INSTRUCTIONS = [
  'You keep the running summary of a roleplay story for its narrator.',
  'Merge the new events into the summary so far. Keep what later turns may need: names, places, facts learned,',
  'items, promises, relationships, injuries, decisions and open threads; drop small talk and style.',
  'Past tense, third person, plain prose, at most 250 words. Reply with the updated summary only.',
].join(' ');

const speaker = (message: MessageRecord): string => (message.role === 'user' ? 'Player' : 'Narrator');

export function summaryRequest(previous: string, messages: readonly MessageRecord[]): ChatMessage[] {
  const events = messages.map((message) => `${speaker(message)}: ${message.content.trim()}`).join('\n\n');
  const sofar = previous.trim() === '' ? '(nothing yet: these are the first events of the story)' : previous.trim();
  return [
    { role: 'system', content: SUMMARY_INSTRUCTIONS },
    { role: 'user', content: `Summary so far:\n${sofar}\n\nNew events, oldest first:\n\n${events}\n\nWrite the updated summary.` },
  ];
}
