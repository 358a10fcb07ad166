/**
 * Session transcripts out (Markdown, SillyTavern chat JSONL) and SillyTavern JSONL back in.
 * Pure: callers pass the session's data and write or read the files themselves.
 *
 * SillyTavern's chat file: line 1 is a header `{user_name, character_name, create_date,
 * chat_metadata}`, then one message per line `{name, is_user, is_system, send_date, mes, extra,
 * swipes?, swipe_id?, swipe_info?}`; `mes` is always the chosen swipe. The chat's Author's Note
 * is `chat_metadata.note_prompt` (with `note_interval`, `note_position`, `note_depth`,
 * `note_role`); a message hidden from the model (`/hide`) keeps its speaker and `is_user` and
 * gets `is_system: true`.
 */

export type ChatRole = 'user' | 'assistant' | 'system';

export interface ChatExportMeta {
  title: string;
  /** World name, shown in the transcript. */
  world: string;
  /** The player's character name: the speaker of user messages. */
  character: string;
  model: string;
  /** Milliseconds since the epoch. */
  created: number;
  /** Who the narrator is (a card's character, or the world's narrator); default "Narrator". */
  narrator?: string;
  /** The session's author's note, if it has one. */
  note?: string;
}

export interface ChatExportMessage {
  role: ChatRole;
  content: string;
  /** Milliseconds since the epoch. */
  createdAt?: number;
  /** Every alternative of a reply, including the chosen one (`content`). */
  swipes?: string[];
  /** Index of `content` in `swipes`. */
  swipeId?: number;
  reasoning?: string;
  /** Hidden from the narrator (`/hide`). */
  hidden?: boolean;
}

export interface ImportedChatMessage {
  role: ChatRole;
  content: string;
  name: string;
  createdAt?: number;
  swipes?: string[];
  swipeId?: number;
  reasoning?: string;
  /** Hidden from the model in SillyTavern (`/hide`): still part of the story, kept, flagged. */
  hidden?: boolean;
  /** The message's other fields, as they were. */
  extra: Record<string, unknown>;
}

export interface ImportedChat {
  meta: {
    userName: string;
    characterName: string;
    /** SillyTavern's `create_date` text, as written. */
    createDate: string;
    chatMetadata: Record<string, unknown>;
    /** The Author's Note (`chat_metadata.note_prompt`), when the chat has one. */
    note?: string;
    /** The header's other fields, as they were. */
    extra: Record<string, unknown>;
  };
  messages: ImportedChatMessage[];
}

export class ChatFormatError extends Error {
  override name = 'ChatFormatError';
}

const SYSTEM_NAME = 'System';
const HIDDEN_MARK = ' · hidden from the narrator';
/**
 * SillyTavern tells a hidden message from a system line by its speaker; Flower's own system
 * lines (dice rolls) are spoken by "System", so a hidden one carries this in `extra` as well.
 */
const HIDDEN_EXTRA = 'flower_hidden';
/** SillyTavern's Author's Note placement, as Flower uses it: in the chat (1), one message deep, as system (0), every turn. */
const NOTE_PLACEMENT = { note_interval: 1, note_position: 1, note_depth: 1, note_role: 0 };
const narratorOf = (meta: ChatExportMeta) => meta.narrator?.trim() || 'Narrator';
const speaker = (meta: ChatExportMeta, role: ChatRole) =>
  role === 'user' ? meta.character : role === 'assistant' ? narratorOf(meta) : SYSTEM_NAME;

// ---------------------------------------------------------------- Markdown

export function toMarkdown(meta: ChatExportMeta, messages: readonly ChatExportMessage[]): string {
  const lines = [
    `# ${meta.title || 'Untitled session'}`,
    '',
    `- **World:** ${meta.world}`,
    `- **Character:** ${meta.character}`,
    `- **Narrator:** ${narratorOf(meta)}`,
    `- **Model:** ${meta.model}`,
    `- **Started:** ${isoDate(meta.created)}`,
    `- **Messages:** ${messages.length}`,
    ...(meta.note?.trim() ? [`- **Author's note:** ${meta.note.trim().split('\n').join('\n  ')}`] : []),
    '',
    '---',
  ];
  messages.forEach((message, index) => {
    lines.push('');
    const swipe = message.swipes && message.swipes.length > 1 ? ` · alternative ${(message.swipeId ?? 0) + 1} of ${message.swipes.length}` : '';
    const when = message.createdAt === undefined ? '' : ` · ${isoDate(message.createdAt)}`;
    const hidden = message.hidden ? HIDDEN_MARK : '';
    if (message.role === 'system') {
      lines.push(`> **${index + 1}. ${SYSTEM_NAME}**${when}${hidden}`, '>', ...message.content.split('\n').map((line) => (line ? `> ${line}` : '>')));
      return;
    }
    lines.push(`### ${index + 1}. ${speaker(meta, message.role)}${when}${swipe}${hidden}`, '', message.content);
  });
  return `${lines.join('\n')}\n`;
}

const isoDate = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

// ---------------------------------------------------------------- SillyTavern JSONL out

/** SillyTavern's `create_date` style: `2024-01-31@09h05m07s` (UTC here). */
export function stDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}@${pad(d.getUTCHours())}h${pad(d.getUTCMinutes())}m${pad(d.getUTCSeconds())}s`;
}

export function toSillyTavernJsonl(meta: ChatExportMeta, messages: readonly ChatExportMessage[]): string {
  const header = {
    user_name: meta.character,
    character_name: narratorOf(meta),
    create_date: stDate(meta.created),
    chat_metadata: meta.note?.trim() ? { note_prompt: meta.note, ...NOTE_PLACEMENT } : {},
  };
  const lines = [JSON.stringify(header), ...messages.map((message) => JSON.stringify(stMessage(meta, message)))];
  return `${lines.join('\n')}\n`;
}

function stMessage(meta: ChatExportMeta, message: ChatExportMessage): Record<string, unknown> {
  const sendDate = new Date(message.createdAt ?? meta.created).toISOString();
  const extra: Record<string, unknown> = {};
  if (message.reasoning) extra['reasoning'] = message.reasoning;
  if (message.hidden && message.role === 'system') extra[HIDDEN_EXTRA] = true;
  const out: Record<string, unknown> = {
    name: speaker(meta, message.role),
    is_user: message.role === 'user',
    is_system: message.role === 'system' || message.hidden === true,
    send_date: sendDate,
    mes: message.content,
    extra,
  };
  if (message.swipes && message.swipes.length > 0) {
    const swipeId = clampSwipe(message.swipeId ?? message.swipes.indexOf(message.content), message.swipes.length);
    out['swipes'] = [...message.swipes];
    out['swipe_id'] = swipeId;
    out['swipe_info'] = message.swipes.map(() => ({ send_date: sendDate, extra: {} }));
  }
  return out;
}

const clampSwipe = (id: number, length: number): number => (id >= 0 && id < length ? id : 0);

// ---------------------------------------------------------------- SillyTavern JSONL in

export function parseSillyTavernJsonl(text: string): ImportedChat {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const records: Array<{ line: number; value: Record<string, unknown> }> = [];
  lines.forEach((raw, index) => {
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ChatFormatError(`line ${index + 1} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ChatFormatError(`line ${index + 1} is not a JSON object`);
    }
    records.push({ line: index + 1, value: value as Record<string, unknown> });
  });
  const first = records[0];
  if (!first) throw new ChatFormatError('the chat file is empty: expected a SillyTavern header line and messages');
  const { user_name, character_name, create_date, chat_metadata, ...headerExtra } = first.value;
  if (typeof user_name !== 'string' || typeof character_name !== 'string' || 'mes' in first.value) {
    throw new ChatFormatError(`line ${first.line} is not a SillyTavern chat header: expected "user_name" and "character_name"`);
  }
  const messages = records.slice(1).map(({ line, value }) => importMessage(line, value, character_name));
  const chatMetadata = typeof chat_metadata === 'object' && chat_metadata !== null ? (chat_metadata as Record<string, unknown>) : {};
  const note = chatMetadata['note_prompt'];
  return {
    meta: {
      userName: user_name,
      characterName: character_name,
      createDate: typeof create_date === 'string' ? create_date : '',
      chatMetadata,
      ...(typeof note === 'string' && note.trim() !== '' ? { note } : {}),
      extra: headerExtra,
    },
    messages,
  };
}

function importMessage(line: number, value: Record<string, unknown>, characterName: string): ImportedChatMessage {
  const { name, is_user, is_system, send_date, mes, swipes, swipe_id, extra, ...rest } = value;
  if (typeof mes !== 'string') throw new ChatFormatError(`line ${line}: the message has no text ("mes" must be a string)`);
  if (swipes !== undefined && (!Array.isArray(swipes) || swipes.some((swipe) => typeof swipe !== 'string'))) {
    throw new ChatFormatError(`line ${line}: "swipes" must be a list of texts`);
  }
  const speakerName = typeof name === 'string' ? name : '';
  const extraObject = typeof extra === 'object' && extra !== null ? (extra as Record<string, unknown>) : {};
  const { reasoning, [HIDDEN_EXTRA]: hiddenLine, ...extraRest } = extraObject;
  // SillyTavern's /hide marks a message is_system but keeps is_user and the speaker's name.
  const hiddenMove = is_system === true && (is_user === true || speakerName === characterName);
  const role: ChatRole = is_user === true ? 'user' : is_system === true && !hiddenMove ? 'system' : 'assistant';
  const out: ImportedChatMessage = { role, content: mes, name: speakerName, extra: { ...rest } };
  if (hiddenMove || (role === 'system' && hiddenLine === true)) out.hidden = true;
  const createdAt = parseSendDate(send_date);
  if (createdAt !== undefined) out.createdAt = createdAt;
  if (typeof reasoning === 'string' && reasoning) out.reasoning = reasoning;
  if (Object.keys(extraRest).length > 0) out.extra['extra'] = extraRest;
  if (Array.isArray(swipes) && swipes.length > 0) {
    out.swipes = swipes as string[];
    out.swipeId = clampSwipe(typeof swipe_id === 'number' ? swipe_id : 0, swipes.length);
  }
  return out;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** SillyTavern has written numbers, ISO strings and "January 31, 2024 9:05pm" over the years. */
export function parseSendDate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const human = /^([a-z]+)\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2})\s*(am|pm)$/i.exec(value.trim());
  if (human) {
    const [, month = '', day = '', year = '', hour = '', minute = '', half = ''] = human;
    const monthIndex = MONTHS.indexOf(month.toLowerCase());
    if (monthIndex < 0) return undefined;
    const hours = (Number(hour) % 12) + (half.toLowerCase() === 'pm' ? 12 : 0);
    return Date.UTC(Number(year), monthIndex, Number(day), hours, Number(minute));
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}
