import { memo, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { Box } from 'ink';
import { ChatView } from './chat/ChatView.tsx';
import { WrapCache } from './chat/cache.ts';
import { maxScrollOffset, totalLines } from './chat/layout.ts';
import type { ConnectionLike } from './connection.ts';
import { CommandPalette, paletteHeight } from './components/CommandPalette.tsx';
import { ContextInspector, inspectorRowCount } from './components/ContextInspector.tsx';
import { Header } from './components/Header.tsx';
import { HelpScreen, helpRowCount } from './components/HelpScreen.tsx';
import { InputBox, inputColumns, inputHeight } from './components/InputBox.tsx';
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
const COUNTDOWN_INTERVAL_MS = 1000;
/** How long to wait for the engine's own history after the handshake before asking for it. */
const RESYNC_GRACE_MS = 300;
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
    let resyncTimer: ReturnType<typeof setTimeout> | null = null;
    const sendResync = (): void => {
      resyncTimer = null;
      const resync = current().resync;
      if (resync && connection.send(resync)) dispatch({ type: 'resync_sent' });
    };
    const unsubscribe = connection.subscribe((event) => {
      if (event.type === 'event') dispatch({ type: 'server', event: event.event, at: clock() });
      else if (event.type === 'status') dispatch({ type: 'connection', status: event.status, at: clock() });
      else dispatch({ type: 'bad_frame', error: event.error });
      // Flower engines send the session's history with the handshake (which clears the request);
      // an engine that does not gets asked, a moment later. Asking anyway would make the engine
      // send it again to every window of the profile, each jumping back to the bottom.
      if (current().resync && !resyncTimer) resyncTimer = setTimeout(sendResync, RESYNC_GRACE_MS);
    });
    dispatch({ type: 'connection', status: connection.status(), at: clock() });
    connection.start();
    return () => {
      if (resyncTimer) clearTimeout(resyncTimer);
      unsubscribe();
    };
  }, [connection, dispatch, current]);

  const running = isReplyRunning(state);
  const reconnecting = state.connection.state === 'reconnecting';
  const [now, setNow] = useState(clock);
  // The spinner and the elapsed time while a reply runs; a retry's countdown while reconnecting.
  const tick = running ? SPINNER_INTERVAL_MS : reconnecting ? COUNTDOWN_INTERVAL_MS : null;
  useEffect(() => {
    setNow(clock());
    if (tick === null) return;
    const timer = setInterval(() => setNow(clock()), tick);
    return () => clearInterval(timer);
  }, [tick, state.connectionSince]);

  const palette = useMemo(() => paletteOf(state), [state]);
  // Help and the context inspector take the full width: their long lines need it more than the sidebar.
  const inspecting = state.ui.inspectorOpen && !state.ui.helpOpen;
  const showSidebar = sidebarShown(columns) && !state.ui.helpOpen && !inspecting;
  const mainWidth = Math.max(10, columns - (showSidebar ? SIDEBAR_WIDTH : 0));
  // A column of air between the chat's text and the sidebar's border.
  const chatWidth = showSidebar ? mainWidth - 1 : mainWidth;
  // One spare row: Ink repaints the whole screen on every frame when output fills it.
  const mainHeight = Math.max(3, rows - 1 - 1 - inputHeight(state.draft, running, columns) - paletteHeight(palette) - 1);
  const cache = useRef<WrapCache | null>(null);
  cache.current ??= new WrapCache();
  const expanded = state.ui.reasoningExpanded;
  const total = useMemo(() => totalLines(state.messages, chatWidth, cache.current ?? new WrapCache(), expanded), [state.messages, chatWidth, expanded]);
  // What a scroll position is anchored to: rows re-laid out (a resize, reasoning opened or shut) are not new text.
  const anchorKey = chatWidth * 2 + (expanded ? 1 : 0);
  const maxScroll = maxScrollOffset(total, mainHeight);
  const helpRows = useMemo(() => helpRowCount(state.commands, keyBindings, mainWidth), [state.commands, mainWidth]);
  const inspectorRows = useMemo(() => inspectorRowCount(state.contextManifest, mainWidth), [state.contextManifest, mainWidth]);
  const helpMaxOffset = Math.max(0, helpRows - mainHeight);
  const inspectorMaxOffset = Math.max(0, inspectorRows - mainHeight);

  const scroll = scrollView(state, total, maxScroll, anchorKey);
  // After a resize, re-anchor a scrolled view to the re-wrapped transcript.
  useEffect(() => {
    if (current().ui.scrollOffset > 0) dispatch({ type: 'scroll', delta: 0, maxOffset: maxScroll, total, width: anchorKey });
    // Only a new layout re-anchors; new text must not.
  }, [anchorKey]);

  const layoutNow = { chatRows: mainHeight, maxScroll, helpMaxOffset, inspectorMaxOffset, totalLines: total, chatLayout: anchorKey, inputColumns: inputColumns(columns) };
  const layout = useRef(layoutNow);
  layout.current = layoutNow;
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
          {!state.ui.helpOpen && !inspecting && !inSession ? <StageChecklist state={state} theme={theme} width={mainWidth} height={mainHeight} now={now} /> : null}
          {!state.ui.helpOpen && !inspecting && inSession ? (
            <Transcript
              messages={state.messages}
              width={chatWidth}
              height={mainHeight}
              scrollOffset={scroll.offset}
              streaming={running}
              numbered
              spinnerFrame={Math.floor(now / SPINNER_INTERVAL_MS)}
              colors={theme.colors}
              theme={theme}
              cache={cache.current}
              reasoningExpanded={expanded}
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
