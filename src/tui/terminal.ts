/**
 * Terminal modes the UI turns on for its lifetime, and turns off again on every way out
 * (quit, crash, signal), so the player's shell is never left in mouse or paste mode.
 */
export const terminalModes = {
  altScreen: ['\x1b[?1049h', '\x1b[?1049l'],
  bracketedPaste: ['\x1b[?2004h', '\x1b[?2004l'],
  /** Button events (wheel included) in SGR encoding; no motion events. */
  mouse: ['\x1b[?1000h\x1b[?1006h', '\x1b[?1006l\x1b[?1000l'],
  /** The input box draws its own cursor. */
  hiddenCursor: ['\x1b[?25l', '\x1b[?25h'],
} as const;

export type TerminalMode = keyof typeof terminalModes;

export interface TerminalModes {
  enter(): void;
  leave(): void;
}

export function createTerminalModes(write: (text: string) => void, modes: TerminalMode[]): TerminalModes {
  let active = false;
  return {
    enter() {
      if (active) return;
      active = true;
      write(modes.map((m) => terminalModes[m][0]).join(''));
    },
    leave() {
      if (!active) return;
      active = false;
      write([...modes].reverse().map((m) => terminalModes[m][1]).join(''));
    },
  };
}
