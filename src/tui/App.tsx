import { memo, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { Box } from 'ink';
import { ChatView } from './chat/ChatView.tsx';
import { WrapCache } from './chat/cache.ts';
import { maxScrollOffset, totalLines } from './chat/layout.ts';
import type { ConnectionLike } from './connection.ts';
import { CommandPalette, paletteHeight } from './components/CommandPalette.tsx';
import { ContextInspector, inspectorLineCount } from './components/ContextInspector.tsx';
import { Header } from './components/Header.tsx';
import { HelpScreen, helpLineCount } from './components/HelpScreen.tsx';
import { InputBox, inputHeight } from './components/InputBox.tsx';
import { Sidebar, SIDEBAR_WIDTH, sidebarShown } from './components/Sidebar.tsx';
import { StageChecklist } from './components/StageChecklist.tsx';
import { StatusLine } from './components/StatusLine.tsx';
import type { AppIo } from './app/io.ts';
import { handleInput } from './app/key-handler.ts';
import { useTerminalSize } from './app/use-terminal-size.ts';
import { useViewState } from './app/use-view-state.ts';
import { keyBindings } from './input/keybindings.ts';
import { useRawInput } from './input/use-raw-input.ts';
import { derivePalette } from './palette/palette.ts';
import { isReplyRunning, scrollView } from './state/selectors.ts';
import type { ViewState } from './state/types.ts';
import type { Theme } from './theme.ts';

export interface AppProps {
  connection: ConnectionLike;
  theme: Theme;
  io: AppIo;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  columns?: number;
  rows?: number;
  clock?: () => number;
  /** The engine's config file, when the launcher knows it (it started the engine). */
  configPath?: string;
}

const SPINNER_INTERVAL_MS = 100;
/** Typing in the input re-renders the app; the transcript only when its own props change. */
const Transcript = memo(ChatView);

function paletteOf(state: ViewState) {
  // While browsing input history the list stays shut, so Up/Down keep walking the history.
  if (isReplyRunning(state) || state.ui.helpOpen || state.history.index !== null) return null;
  return derivePalette(state.draft.text, state.commands, state.lists, state.ui.paletteDismissedFor);
}

export function App(props: AppProps): JSX.Element {
  const { connection, theme, io } = props;
  const clock = props.clock ?? Date.now;
  const { state, dispatch, current } = useViewState(props.configPath);
  const { columns, rows } = useTerminalSize({ columns: props.columns, rows: props.rows });

  useEffect(() => {
    const unsubscribe = connection.subscribe((event) => {
      if (event.type === 'event') dispatch({ type: 'server', event: event.event, at: clock() });
      else if (event.type === 'status') dispatch({ type: 'connection', status: event.status, at: clock() });
      else dispatch({ type: 'bad_frame', error: event.error });
      // Ask for the session's history right away, before any key the player presses next.
      const resync = current().resync;
      if (resync && connection.send(resync)) dispatch({ type: 'resync_sent' });
    });
    dispatch({ type: 'connection', status: connection.status(), at: clock() });
    connection.start();
    return unsubscribe;
  }, [connection, dispatch, current]);

  const running = isReplyRunning(state);
  const [now, setNow] = useState(clock);
  useEffect(() => {
    setNow(clock());
    if (!running) return;
    const timer = setInterval(() => setNow(clock()), SPINNER_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [running]);

  const palette = useMemo(() => paletteOf(state), [state]);
  const showSidebar = sidebarShown(columns) && !state.ui.helpOpen;
  const mainWidth = Math.max(10, columns - (showSidebar ? SIDEBAR_WIDTH : 0));
  // One spare row: Ink repaints the whole screen on every frame when output fills it.
  const mainHeight = Math.max(3, rows - 1 - 1 - inputHeight(state.draft, running, columns) - paletteHeight(palette) - 1);
  const cache = useRef<WrapCache | null>(null);
  cache.current ??= new WrapCache();
  const total = useMemo(() => totalLines(state.messages, mainWidth, cache.current ?? new WrapCache()), [state.messages, mainWidth]);
  const maxScroll = maxScrollOffset(total, mainHeight);
  const helpMaxOffset = Math.max(0, helpLineCount(state.commands, keyBindings) - mainHeight);
  const inspectorMaxOffset = Math.max(0, inspectorLineCount(state.contextManifest) - mainHeight);
  const inspecting = state.ui.inspectorOpen && !state.ui.helpOpen;

  const scroll = scrollView(state, total, maxScroll, mainWidth);
  // After a resize, re-anchor a scrolled view to the re-wrapped transcript.
  useEffect(() => {
    if (current().ui.scrollOffset > 0) dispatch({ type: 'scroll', delta: 0, maxOffset: maxScroll, total, width: mainWidth });
    // Only a width change re-anchors; new text must not.
  }, [mainWidth]);

  const layout = useRef({ chatRows: mainHeight, maxScroll, helpMaxOffset, inspectorMaxOffset, totalLines: total, chatWidth: mainWidth });
  layout.current = { chatRows: mainHeight, maxScroll, helpMaxOffset, inspectorMaxOffset, totalLines: total, chatWidth: mainWidth };
  useRawInput((event) => {
    const latest = current();
    handleInput({ state: latest, dispatch, connection, io, palette: paletteOf(latest), now: clock, ...layout.current }, event);
  });

  const inSession = state.stage.sessionId !== '';
  return (
    <Box flexDirection="column" width={columns}>
      <Header state={state} theme={theme} width={columns} />
      <Box height={mainHeight}>
        <Box width={mainWidth} height={mainHeight} flexDirection="column" overflow="hidden">
          {state.ui.helpOpen ? (
            <HelpScreen commands={state.commands} bindings={keyBindings} theme={theme} width={mainWidth} height={mainHeight} offset={state.ui.helpOffset} />
          ) : null}
          {inspecting ? (
            <ContextInspector manifest={state.contextManifest} theme={theme} width={mainWidth} height={mainHeight} offset={state.ui.inspectorOffset} />
          ) : null}
          {!state.ui.helpOpen && !inspecting && !inSession ? <StageChecklist state={state} theme={theme} width={mainWidth} height={mainHeight} /> : null}
          {!state.ui.helpOpen && !inspecting && inSession ? (
            <Transcript
              messages={state.messages}
              width={mainWidth}
              height={mainHeight}
              scrollOffset={scroll.offset}
              streaming={running}
              numbered
              spinnerFrame={Math.floor(now / SPINNER_INTERVAL_MS)}
              colors={theme.colors}
              theme={theme}
              cache={cache.current}
            />
          ) : null}
        </Box>
        {showSidebar ? <Sidebar state={state} theme={theme} height={mainHeight} /> : null}
      </Box>
      {palette ? <CommandPalette palette={palette} index={state.ui.paletteIndex} theme={theme} width={columns} /> : null}
      <StatusLine state={state} theme={theme} width={columns} now={now} scroll={scroll} />
      <InputBox draft={state.draft} locked={running} theme={theme} width={columns} />
    </Box>
  );
}
