/**
 * A session as a Markdown transcript or a SillyTavern chat (JSONL), alternatives, hidden
 * messages and the author's note included.
 */
import { stDate, toMarkdown, toSillyTavernJsonl, type ChatExportMessage } from '../formats/chat-export.ts';
import type { Content } from '../content.ts';
import { visibleMessages } from '../history/numbering.ts';
import { swipeInfo } from '../history/swipes.ts';
import type { SessionRecord, Store } from '../ports.ts';

export type ExportFormat = 'md' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['md', 'jsonl'];

export function exportSession(store: Store, content: Content, session: SessionRecord, format: ExportFormat): string {
  const world = content.worlds.get(session.worldId);
  const character = content.characters.get(session.characterId);
  const meta = {
    title: session.title,
    world: world?.name ?? session.worldId,
    character: character?.name ?? session.characterId,
    model: session.model,
    created: session.createdAt,
    narrator: world ? world.narratorName || world.name : 'Narrator',
    note: store.sessions.note(session.id),
  };
  const messages = visibleMessages(store, session.id).map(({ message }): ChatExportMessage => {
    const out: ChatExportMessage = { role: message.role, content: message.content, createdAt: message.createdAt };
    if (message.reasoning) out.reasoning = message.reasoning;
    if (message.hidden) out.hidden = true;
    const parked = store.swipes?.list(message.id) ?? [];
    if (parked.length > 0) {
      const { index, count } = swipeInfo(parked.map((swipe) => swipe.position));
      const swipes = Array.from({ length: count }, (_, position) =>
        position === index ? message.content : (parked.find((swipe) => swipe.position === position)?.content ?? ''),
      );
      out.swipes = swipes;
      out.swipeId = index;
    }
    return out;
  });
  return format === 'md' ? toMarkdown(meta, messages) : toSillyTavernJsonl(meta, messages);
}

/** `<session>-<date>.<format>`, safe as a file name on every platform. */
export const exportFileName = (session: SessionRecord, format: ExportFormat, now: number): string =>
  `${session.id}-${stDate(now).replace('@', '_')}.${format}`;
