import { clientCommandOf } from '../commands.ts';
import type { ConnectionLike } from '../connection.ts';
import type { InputEvent } from '../input/decoder.ts';
import type { EditOp } from '../input/editor.ts';
import { actionFor, WHEEL_LINES, type ActionId } from '../input/keybindings.ts';
import { verticalTarget } from '../input/visual-rows.ts';
import { completeFrom, pickFrom, type Palette } from '../palette/palette.ts';
import { isReplyRunning, lastNarratorReply } from '../state/selectors.ts';
import type { Action, ViewState } from '../state/types.ts';
import type { AppIo } from './io.ts';

/** What a key needs to know about the app at the moment it is pressed. */
export interface KeyContext {
  state: ViewState;
  dispatch: (action: Action) => void;
  connection: ConnectionLike;
  io: AppIo;
  palette: Palette | null;
  chatRows: number;
  maxScroll: number;
  /** Transcript lines at the last render, and the layout they were measured in (width, reasoning open). */
  totalLines: number;
  chatLayout: number;
  helpMaxOffset: number;
  /** Lines of the context inspector beyond one screen. */
  inspectorMaxOffset?: number;
  /** Columns the input box wraps the draft to: Up/Down move by those rows. */
  inputColumns: number;
  now: () => number;
}

/** Sends a line the player submitted: client commands run here, the rest goes to the engine. */
export function submitLine(ctx: KeyContext, line: string): void {
  if (line.trim() === '') return;
  const client = clientCommandOf(line);
  if (client === 'quit') return ctx.io.quit();
  if (client === 'help') {
    ctx.dispatch({ type: 'submitted', text: line, kind: 'command', at: ctx.now() });
    return ctx.dispatch({ type: 'help', open: true });
  }
  const kind = line.startsWith('/') ? 'command' : 'story';
  if (!ctx.connection.send(line)) return ctx.dispatch({ type: 'send_failed', text: line });
  ctx.dispatch({ type: 'submitted', text: line, kind, at: ctx.now() });
}

function edit(ctx: KeyContext, op: EditOp): void {
  if (isReplyRunning(ctx.state)) return;
  ctx.dispatch({ type: 'edit', op });
}

function scroll(ctx: KeyContext, delta: number): void {
  if (ctx.state.ui.helpOpen) return ctx.dispatch({ type: 'help_scroll', delta: -delta, maxOffset: ctx.helpMaxOffset });
  if (ctx.state.ui.inspectorOpen) return ctx.dispatch({ type: 'inspector_scroll', delta: -delta, maxOffset: ctx.inspectorMaxOffset ?? 0 });
  ctx.dispatch({ type: 'scroll', delta, maxOffset: ctx.maxScroll, total: ctx.totalLines, width: ctx.chatLayout });
}

/** Home and End: the top or bottom of whatever is shown (the help, the inspector or the chat). */
function jump(ctx: KeyContext, to: 'top' | 'bottom'): void {
  const sign = to === 'top' ? -1 : 1;
  if (ctx.state.ui.helpOpen) return ctx.dispatch({ type: 'help_scroll', delta: sign * ctx.helpMaxOffset, maxOffset: ctx.helpMaxOffset });
  const inspectorMax = ctx.inspectorMaxOffset ?? 0;
  if (ctx.state.ui.inspectorOpen) return ctx.dispatch({ type: 'inspector_scroll', delta: sign * inspectorMax, maxOffset: inspectorMax });
  ctx.dispatch({ type: 'scroll_to', offset: to === 'top' ? ctx.maxScroll : 0, total: ctx.totalLines, width: ctx.chatLayout });
}

function submit(ctx: KeyContext): void {
  const { state, palette } = ctx;
  if (state.ui.helpOpen) return ctx.dispatch({ type: 'help', open: false });
  if (isReplyRunning(state)) return;
  const pick = palette ? pickFrom(palette, state.ui.paletteIndex) : undefined;
  if (pick?.kind === 'fill') return ctx.dispatch({ type: 'set_draft', text: pick.draft });
  if (pick?.kind === 'send') return submitLine(ctx, pick.line);
  submitLine(ctx, state.draft.text);
}

function escape(ctx: KeyContext): void {
  const { state } = ctx;
  if (isReplyRunning(state)) {
    if (!ctx.connection.send('/cancel')) ctx.dispatch({ type: 'flash', text: 'Not connected: the cancel could not be sent' });
    return;
  }
  if (state.ui.helpOpen) return ctx.dispatch({ type: 'help', open: false });
  if (state.ui.inspectorOpen) return ctx.dispatch({ type: 'inspector', open: false });
  if (ctx.palette) return ctx.dispatch({ type: 'palette_dismiss' });
  if (state.draft.text.trim() !== '' && !state.ui.confirmQuit) return ctx.dispatch({ type: 'confirm_quit', armed: true });
  ctx.io.quit();
}

function vertical(ctx: KeyContext, direction: -1 | 1): void {
  const { state, palette } = ctx;
  if (state.ui.helpOpen) return ctx.dispatch({ type: 'help_scroll', delta: direction, maxOffset: ctx.helpMaxOffset });
  if (state.ui.inspectorOpen && !palette) return ctx.dispatch({ type: 'inspector_scroll', delta: direction, maxOffset: ctx.inspectorMaxOffset ?? 0 });
  if (palette && palette.items.length > 0) return ctx.dispatch({ type: 'palette_move', delta: direction, count: palette.items.length });
  if (isReplyRunning(state)) return scroll(ctx, -direction);
  // On the first (last) screen row of the draft, Up (Down) browses earlier (later) inputs.
  if (verticalTarget(state.draft, ctx.inputColumns, direction) === null) return ctx.dispatch({ type: 'history', direction });
  ctx.dispatch({ type: 'edit', op: { op: direction === -1 ? 'up' : 'down', columns: ctx.inputColumns } });
}

function copyLastReply(ctx: KeyContext): void {
  const reply = lastNarratorReply(ctx.state);
  if (!reply) return ctx.dispatch({ type: 'flash', text: 'No narrator reply to copy yet' });
  ctx.io.copy(reply);
  ctx.dispatch({ type: 'flash', text: `Copied the last reply (${reply.length} characters)` });
}

function openEditor(ctx: KeyContext): void {
  if (isReplyRunning(ctx.state)) return;
  ctx.io.openEditor(ctx.state.draft.text).then(
    (text) => {
      if (text !== null) ctx.dispatch({ type: 'set_draft', text });
      // Also makes the next frame differ, so the whole screen is repainted after the editor.
      ctx.dispatch({ type: 'flash', text: 'Back from the editor: your text is in the input, not sent yet' });
    },
    (error: unknown) => ctx.dispatch({ type: 'local_message', kind: 'error', text: `✗ Could not open the editor: ${String(error)}` }),
  );
}

/** Opens the inspector and asks the engine for the latest manifest; closes it when open. */
function toggleInspector(ctx: KeyContext): void {
  if (ctx.state.ui.inspectorOpen) return ctx.dispatch({ type: 'inspector', open: false });
  ctx.dispatch({ type: 'inspector', open: true });
  if (!ctx.connection.send('/context')) ctx.dispatch({ type: 'flash', text: 'Not connected: showing the last context received' });
}

/** Story-control keys send their command; nothing while a reply runs (the engine would refuse). */
function storyCommand(ctx: KeyContext, line: string): void {
  if (isReplyRunning(ctx.state)) return;
  if (!ctx.connection.send(line)) ctx.dispatch({ type: 'flash', text: `Not connected: ${line} could not be sent` });
}

/** Works while a reply streams too: that is when a player wants to watch the thinking. */
function toggleReasoning(ctx: KeyContext): void {
  const expanded = !ctx.state.ui.reasoningExpanded;
  if (expanded && !ctx.state.messages.some((m) => m.reasoning)) {
    return ctx.dispatch({ type: 'flash', text: 'No thinking to show (only reasoning models send it)' });
  }
  ctx.dispatch({ type: 'reasoning', expanded });
}

const actions: Record<ActionId, (ctx: KeyContext) => void> = {
  submit,
  newline: (ctx) => edit(ctx, { op: 'insert', text: '\n' }),
  complete: (ctx) => {
    const text = ctx.palette ? completeFrom(ctx.palette, ctx.state.ui.paletteIndex) : undefined;
    if (text !== undefined && !isReplyRunning(ctx.state)) ctx.dispatch({ type: 'set_draft', text });
  },
  escape,
  quit: (ctx) => ctx.io.quit(),
  up: (ctx) => vertical(ctx, -1),
  down: (ctx) => vertical(ctx, 1),
  left: (ctx) => edit(ctx, { op: 'left' }),
  right: (ctx) => edit(ctx, { op: 'right' }),
  lineStart: (ctx) => edit(ctx, { op: 'lineStart' }),
  lineEnd: (ctx) => edit(ctx, { op: 'lineEnd' }),
  backspace: (ctx) => edit(ctx, { op: 'backspace' }),
  delete: (ctx) => edit(ctx, { op: 'delete' }),
  deleteWordBefore: (ctx) => edit(ctx, { op: 'deleteWordBefore' }),
  deleteToLineStart: (ctx) => edit(ctx, { op: 'deleteToLineStart' }),
  deleteToLineEnd: (ctx) => edit(ctx, { op: 'deleteToLineEnd' }),
  scrollLineUp: (ctx) => scroll(ctx, 1),
  scrollLineDown: (ctx) => scroll(ctx, -1),
  pageUp: (ctx) => scroll(ctx, Math.max(1, ctx.chatRows - 1)),
  pageDown: (ctx) => scroll(ctx, -Math.max(1, ctx.chatRows - 1)),
  scrollTop: (ctx) => jump(ctx, 'top'),
  scrollBottom: (ctx) => jump(ctx, 'bottom'),
  copyLastReply,
  openEditor,
  help: (ctx) => ctx.dispatch({ type: 'help', open: !ctx.state.ui.helpOpen }),
  contextInspector: toggleInspector,
  swipePrev: (ctx) => storyCommand(ctx, '/swipe prev'),
  swipeNext: (ctx) => storyCommand(ctx, '/swipe next'),
  regenerate: (ctx) => storyCommand(ctx, '/regenerate'),
  toggleReasoning,
};

export function handleInput(ctx: KeyContext, event: InputEvent): void {
  const { state } = ctx;
  const action = event.type === 'key' ? actionFor(event) : undefined;
  // Any key other than Esc disarms the quit confirmation; any key clears a flash note.
  if (state.ui.confirmQuit && action !== 'escape') ctx.dispatch({ type: 'confirm_quit', armed: false });
  if (state.ui.flash) ctx.dispatch({ type: 'flash', text: null });
  if (event.type === 'wheel') return scroll(ctx, event.direction === 'up' ? WHEEL_LINES : -WHEEL_LINES);
  if (event.type === 'text' || event.type === 'paste') return edit(ctx, { op: 'insert', text: event.text });
  if (action) actions[action](ctx);
}
