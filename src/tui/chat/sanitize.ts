// Terminal escape sequences (CSI, OSC, and single-character escapes) and the C0/C1 control
// characters other than newline and tab: text from a model or another client must never be
// able to move the cursor, change colours or retitle the terminal. Matching control characters
// is the point of these patterns, hence the lint exceptions.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Message text made safe to print: CRLF to LF, escapes and control characters removed. */
export function sanitizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPES, '').replace(CONTROLS, '');
}
