/** Side effects the App asks of its host; run-tui.ts provides the real ones, tests fakes. */
export interface AppIo {
  quit(): void;
  /** Puts text on the clipboard (OSC 52). */
  copy(text: string): void;
  /** Opens $EDITOR on the text; resolves with the saved text, or null when nothing came back. */
  openEditor(initial: string): Promise<string | null>;
}

/** OSC 52 "set clipboard" sequence; terminals (and tmux with set-clipboard) pass it to the system clipboard. */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}
