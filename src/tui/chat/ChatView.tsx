import { memo, useRef, type JSX } from 'react';
import { Box, Text } from 'ink';
import type { Theme } from '../theme.ts';
import { WrapCache } from './cache.ts';
import { chatWindow } from './layout.ts';
import type { ChatMessageView, Role, Row, Style } from './types.ts';

export interface ChatViewProps {
  messages: ChatMessageView[];
  width: number;
  height: number;
  /** Lines up from the bottom; 0 = follow the newest. */
  scrollOffset: number;
  streaming: boolean;
  spinnerFrame?: number;
  colors: boolean;
  numbered?: boolean;
  /** Colours to use when `colors` is on; the 16 basic colours otherwise. */
  theme?: Theme;
  /** Show the narrator's reasoning in full rather than as one summary row per reply. */
  reasoningExpanded?: boolean;
  /** Share the app's cache so its scroll clamping (`totalLines`) and this view wrap once. */
  cache?: WrapCache;
}

type Palette = Pick<Theme, 'user' | 'narrator' | 'system' | 'error' | 'accent' | 'muted' | 'warn' | 'ok'>;

const BASIC: Palette = {
  user: 'cyan',
  narrator: 'magenta',
  system: 'yellow',
  error: 'red',
  accent: 'blue',
  muted: 'gray',
  warn: 'yellow',
  ok: 'green',
};

/** What the player saw when last at the bottom, to tell whether text arrived below since. */
interface SeenAtBottom {
  count: number;
  lastId: string | undefined;
  lastLength: number;
}

/** The chat transcript: at most `height` rows ending `scrollOffset` rows above the newest. */
export function ChatView(props: ChatViewProps): JSX.Element {
  const ownCache = useRef<WrapCache | null>(null);
  const cache = props.cache ?? (ownCache.current ??= new WrapCache());
  const seen = useRef<SeenAtBottom | null>(null);

  const { messages } = props;
  const last = messages[messages.length - 1];
  const now: SeenAtBottom = { count: messages.length, lastId: last?.id, lastLength: last?.text.length ?? 0 };
  if (props.scrollOffset <= 0 || seen.current === null) seen.current = now;
  const grew =
    now.count !== seen.current.count || now.lastId !== seen.current.lastId || now.lastLength > seen.current.lastLength;
  const newTextBelow = props.streaming || last?.streaming === true || grew;

  const view = chatWindow(messages, cache, {
    width: props.width,
    height: props.height,
    scrollOffset: props.scrollOffset,
    streaming: props.streaming,
    spinnerFrame: props.spinnerFrame,
    numbered: props.numbered,
    newTextBelow,
    reasoningExpanded: props.reasoningExpanded === true,
  });
  const palette = props.colors ? (props.theme?.colors ? props.theme : BASIC) : undefined;
  return (
    <Box flexDirection="column" width={props.width}>
      {view.rows.map((row, i) => (
        <RowText key={i} row={row} palette={palette} />
      ))}
    </Box>
  );
}

// Rows come from the cache as the same objects frame after frame, so a memoised row skips
// React's work for everything but the rows that changed (the streaming text, the spinner).
const RowText = memo(function RowText({ row, palette }: { row: Row; palette: Palette | undefined }): JSX.Element {
  if (row.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {row.map((segment, i) =>
        palette ? (
          <Text key={i} {...styleProps(segment.style, palette)}>
            {segment.text}
          </Text>
        ) : (
          segment.text
        ),
      )}
    </Text>
  );
});

interface InkStyle {
  color?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  dimColor?: boolean;
}

function styleProps(style: Style, palette: Palette): InkStyle {
  const props: InkStyle = {};
  if (style.bold) props.bold = true;
  if (style.italic) props.italic = true;
  if (style.underline) props.underline = true;
  if (style.strike) props.strikethrough = true;
  const color = style.role ? roleColor(style.role, palette) : undefined;
  if (color) props.color = color;
  if (style.dim || style.role === 'muted' || style.role === 'rule' || style.role === 'url' || style.role === 'reasoning') props.dimColor = true;
  return props;
}

function roleColor(role: Role, palette: Palette): string | undefined {
  switch (role) {
    case 'label-user':
      return palette.user;
    case 'label-narrator':
    case 'heading':
      return palette.narrator;
    case 'label-system':
    case 'system':
      return palette.system;
    case 'label-error':
    case 'error':
      return palette.error;
    case 'link':
    case 'url':
    case 'spinner':
    case 'indicator':
      return palette.accent;
    case 'code':
      return palette.ok;
    case 'quote':
    case 'bullet':
    case 'muted':
    case 'rule':
      return palette.muted;
    case 'reasoning':
      // Dimmed default colour: a dimmed grey can vanish on dark terminals.
      return undefined;
  }
}
