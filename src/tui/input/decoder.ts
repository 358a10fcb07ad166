/**
 * Turns the raw sequences Ink splits stdin into (one key, one escape sequence or one run of
 * text each) into input events. We read raw sequences instead of `useInput` because
 * `useInput` cannot tell Ctrl+J from other keys, loses bracketed-paste boundaries and
 * mangles mouse reports.
 */
export type KeyName =
  | 'return'
  | 'newline'
  | 'escape'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageup'
  | 'pagedown'
  | 'home'
  | 'end'
  | 'f1'
  /** A letter or symbol pressed with Ctrl or Alt, e.g. `c` for Ctrl+C. */
  | (string & {});

export interface KeyEvent {
  type: 'key';
  name: KeyName;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
}

export type InputEvent =
  | KeyEvent
  | { type: 'text'; text: string }
  | { type: 'paste'; text: string }
  | { type: 'wheel'; direction: 'up' | 'down' };

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

const csiKeys: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
};

const tildeKeys: Record<string, KeyName> = {
  '1': 'home',
  '7': 'home',
  '4': 'end',
  '8': 'end',
  '3': 'delete',
  '5': 'pageup',
  '6': 'pagedown',
  '11': 'f1',
};

function key(name: KeyName, mods: Partial<Omit<KeyEvent, 'type' | 'name'>> = {}): KeyEvent {
  return { type: 'key', name, ctrl: mods.ctrl ?? false, meta: mods.meta ?? false, shift: mods.shift ?? false };
}

/** xterm modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4). */
function modifiers(param: string | undefined): Partial<KeyEvent> {
  const bits = Math.max(0, Number(param ?? '1') - 1);
  return { shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0 };
}

/** SGR mouse report `ESC [ < button ; x ; y M|m`; only the wheel matters to us. */
function decodeMouse(body: string): InputEvent | undefined {
  const match = /^<(\d+);\d+;\d+[Mm]$/.exec(body);
  if (!match) return undefined;
  const button = Number(match[1]);
  if ((button & 64) === 0) return undefined;
  return { type: 'wheel', direction: (button & 1) === 0 ? 'up' : 'down' };
}

function decodeCsi(body: string): InputEvent | undefined {
  if (body.startsWith('<')) return decodeMouse(body);
  if (body === 'Z') return key('tab', { shift: true });
  const letter = /^(?:1;(\d+))?([ABCDHF])$/.exec(body);
  if (letter) return key(csiKeys[letter[2] ?? ''] ?? '', modifiers(letter[1]));
  const tilde = /^(\d+)(?:;(\d+))?~$/.exec(body);
  const name = tilde ? tildeKeys[tilde[1] ?? ''] : undefined;
  if (tilde && name) return key(name, modifiers(tilde[2]));
  return undefined;
}

function decodeControl(char: string): KeyEvent | undefined {
  const code = char.charCodeAt(0);
  if (char === '\r') return key('return');
  if (char === '\n') return key('newline', { ctrl: true });
  if (char === '\t') return key('tab');
  if (char === '\x7f' || char === '\b') return key('backspace');
  if (char === '\x1b') return key('escape');
  if (code >= 1 && code <= 26) return key(String.fromCharCode(code + 96), { ctrl: true });
  return undefined;
}

/** One sequence outside a paste. */
function decodeSequence(raw: string): InputEvent | undefined {
  if (raw.length === 1) return decodeControl(raw) ?? { type: 'text', text: raw };
  if (raw.startsWith('\x1b[')) return decodeCsi(raw.slice(2));
  if (raw.startsWith('\x1bO') && raw.length === 3) {
    const name = raw[2] === 'P' ? 'f1' : csiKeys[raw[2] ?? ''];
    return name ? key(name) : undefined;
  }
  if (raw.startsWith('\x1b') && raw.length === 2) {
    const inner = decodeControl(raw[1] ?? '');
    if (inner?.name === 'return' || inner?.name === 'newline') return key('return', { meta: true });
    if (inner) return { ...inner, meta: true };
    return key((raw[1] ?? '').toLowerCase(), { meta: true });
  }
  if (raw.startsWith('\x1b')) return undefined;
  // Several characters in one read: a paste from a terminal without bracketed paste.
  if (/[\r\n]/.test(raw)) return { type: 'paste', text: raw };
  return { type: 'text', text: raw };
}

/** Keeps newlines and tabs of a paste, drops other control characters and escape sequences. */
// Matching control characters is the point here.
/* eslint-disable no-control-regex */
export function cleanPaste(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}
/* eslint-enable no-control-regex */

export interface InputDecoder {
  push(raw: string): InputEvent[];
}

/** Stateful only for bracketed paste, whose text may arrive over several reads. */
export function createInputDecoder(): InputDecoder {
  let paste: string | null = null;
  return {
    push(raw) {
      if (paste !== null) {
        const end = raw.indexOf(PASTE_END);
        if (end === -1) {
          paste += raw;
          return [];
        }
        const text = cleanPaste(paste + raw.slice(0, end));
        paste = null;
        return [{ type: 'paste', text }];
      }
      if (raw.startsWith(PASTE_START)) {
        paste = '';
        const rest = raw.slice(PASTE_START.length);
        return rest ? this.push(rest) : [];
      }
      const event = decodeSequence(raw);
      if (event?.type === 'paste') return [{ type: 'paste', text: cleanPaste(event.text) }];
      return event ? [event] : [];
    },
  };
}
