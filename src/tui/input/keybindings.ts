import type { KeyEvent, KeyName } from './decoder.ts';

/**
 * The one table of keys: the input handler looks actions up here and the help screen lists
 * it, so the two cannot disagree. What an action does may depend on context (a list open, a
 * reply streaming); the description says so.
 */
export type ActionId =
  | 'submit'
  | 'newline'
  | 'complete'
  | 'escape'
  | 'quit'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'lineStart'
  | 'lineEnd'
  | 'backspace'
  | 'delete'
  | 'deleteWordBefore'
  | 'deleteToLineStart'
  | 'deleteToLineEnd'
  | 'scrollLineUp'
  | 'scrollLineDown'
  | 'pageUp'
  | 'pageDown'
  | 'scrollTop'
  | 'scrollBottom'
  | 'copyLastReply'
  | 'openEditor'
  | 'help'
  | 'contextInspector'
  | 'swipePrev'
  | 'swipeNext'
  | 'regenerate'
  | 'toggleReasoning';

export interface KeyPattern {
  name: KeyName;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

export interface Binding {
  action: ActionId;
  keys: KeyPattern[];
  /** How the help screen names the keys. */
  label: string;
  description: string;
  group: 'Input' | 'Lists' | 'Chat' | 'App';
}

export const keyBindings: Binding[] = [
  { action: 'submit', keys: [{ name: 'return' }], label: 'Enter', description: 'Send the input; in a list, pick the highlighted entry', group: 'Input' },
  { action: 'newline', keys: [{ name: 'newline', ctrl: true }, { name: 'return', meta: true }], label: 'Ctrl+J / Alt+Enter', description: 'Insert a new line (pasted text keeps its lines and is not sent)', group: 'Input' },
  { action: 'up', keys: [{ name: 'up' }], label: 'Up', description: 'Move up in a list; else up a row of the input (wrapped lines too), then earlier inputs', group: 'Input' },
  { action: 'down', keys: [{ name: 'down' }], label: 'Down', description: 'Move down in a list; else down a row of the input, then later inputs', group: 'Input' },
  { action: 'left', keys: [{ name: 'left' }], label: 'Left', description: 'Move the cursor left', group: 'Input' },
  { action: 'right', keys: [{ name: 'right' }], label: 'Right', description: 'Move the cursor right', group: 'Input' },
  { action: 'lineStart', keys: [{ name: 'a', ctrl: true }], label: 'Ctrl+A', description: 'Go to the start of the line', group: 'Input' },
  { action: 'lineEnd', keys: [{ name: 'e', ctrl: true }], label: 'Ctrl+E', description: 'Go to the end of the line', group: 'Input' },
  { action: 'backspace', keys: [{ name: 'backspace' }], label: 'Backspace', description: 'Delete the character before the cursor', group: 'Input' },
  { action: 'delete', keys: [{ name: 'delete' }, { name: 'd', ctrl: true }], label: 'Delete / Ctrl+D', description: 'Delete the character under the cursor', group: 'Input' },
  { action: 'deleteWordBefore', keys: [{ name: 'w', ctrl: true }, { name: 'backspace', meta: true }], label: 'Ctrl+W / Alt+Backspace', description: 'Delete the word before the cursor', group: 'Input' },
  { action: 'deleteToLineStart', keys: [{ name: 'u', ctrl: true }], label: 'Ctrl+U', description: 'Delete to the start of the line', group: 'Input' },
  { action: 'deleteToLineEnd', keys: [{ name: 'k', ctrl: true }], label: 'Ctrl+K', description: 'Delete to the end of the line', group: 'Input' },
  { action: 'openEditor', keys: [{ name: 'x', ctrl: true }], label: 'Ctrl+X', description: 'Compose the input in $EDITOR (saved text comes back unsent)', group: 'Input' },
  { action: 'complete', keys: [{ name: 'tab' }], label: 'Tab', description: 'Complete the highlighted command or id into the input', group: 'Lists' },
  { action: 'escape', keys: [{ name: 'escape' }], label: 'Esc', description: 'Cancel the running reply; else close the list or help; else quit', group: 'Lists' },
  { action: 'scrollLineUp', keys: [{ name: 'up', shift: true }, { name: 'up', ctrl: true }], label: 'Shift+Up / Ctrl+Up / wheel', description: 'Scroll the chat up one line (the mouse wheel scrolls three)', group: 'Chat' },
  { action: 'scrollLineDown', keys: [{ name: 'down', shift: true }, { name: 'down', ctrl: true }], label: 'Shift+Down / Ctrl+Down / wheel', description: 'Scroll the chat down one line (the mouse wheel scrolls three)', group: 'Chat' },
  { action: 'pageUp', keys: [{ name: 'pageup' }], label: 'PgUp', description: 'Scroll the chat up a page', group: 'Chat' },
  { action: 'pageDown', keys: [{ name: 'pagedown' }], label: 'PgDn', description: 'Scroll the chat down a page', group: 'Chat' },
  { action: 'scrollTop', keys: [{ name: 'home' }], label: 'Home', description: 'Jump to the start of the chat', group: 'Chat' },
  { action: 'scrollBottom', keys: [{ name: 'end' }], label: 'End', description: 'Jump to the newest text and follow the stream', group: 'Chat' },
  { action: 'swipePrev', keys: [{ name: 'left', meta: true }], label: 'Alt+Left', description: 'Show the previous alternative of the last reply (/swipe prev)', group: 'Chat' },
  { action: 'swipeNext', keys: [{ name: 'right', meta: true }], label: 'Alt+Right', description: 'Show the next alternative of the last reply; past the last, generate a new one (/swipe next)', group: 'Chat' },
  { action: 'regenerate', keys: [{ name: 'r', ctrl: true }], label: 'Ctrl+R', description: 'Another reply to your last message; the old one stays an alternative (/regenerate)', group: 'Chat' },
  { action: 'toggleReasoning', keys: [{ name: 't', ctrl: true }], label: 'Ctrl+T', description: "Show or hide the narrator's thinking (reasoning models); hidden, it is one line per reply", group: 'Chat' },
  { action: 'copyLastReply', keys: [{ name: 'y', ctrl: true }], label: 'Ctrl+Y', description: "Copy the narrator's last reply to the clipboard (OSC 52, works over SSH)", group: 'Chat' },
  { action: 'contextInspector', keys: [{ name: 'o', ctrl: true }], label: 'Ctrl+O', description: 'Show or hide the context inspector: what went into the last prompt and what was left out (/context)', group: 'App' },
  { action: 'help', keys: [{ name: 'f1' }], label: 'F1 or /help', description: 'Show this help', group: 'App' },
  { action: 'quit', keys: [{ name: 'c', ctrl: true }], label: 'Ctrl+C or /quit', description: 'Quit', group: 'App' },
];

function matches(pattern: KeyPattern, event: KeyEvent): boolean {
  return (
    pattern.name === event.name &&
    (pattern.ctrl ?? false) === event.ctrl &&
    (pattern.meta ?? false) === event.meta &&
    (pattern.shift ?? false) === event.shift
  );
}

/** How the help screen names an action's keys, for hints elsewhere that must say the same. */
export function keyLabel(action: ActionId, bindings: Binding[] = keyBindings): string {
  return bindings.find((binding) => binding.action === action)?.label ?? '';
}

export function actionFor(event: KeyEvent, bindings: Binding[] = keyBindings): ActionId | undefined {
  return bindings.find((binding) => binding.keys.some((pattern) => matches(pattern, event)))?.action;
}

/** Lines scrolled by one mouse wheel notch. */
export const WHEEL_LINES = 3;
