/**
 * A reply still arriving often ends inside an emphasis or a code span (`**The do`).
 * Rendered as is, the raw markers would flash until the closing ones arrive. This closes
 * what the last paragraph left open (or drops a marker that has nothing after it yet), so
 * the partial text renders styled. Only used while a message streams; the final text is
 * rendered exactly as written.
 */
export function closeOpenMarkdown(text: string): string {
  if (insideCodeFence(text)) return text;
  const paragraphStart = text.lastIndexOf('\n\n') + 1;
  const head = text.slice(0, paragraphStart);
  let tail = text.slice(paragraphStart);

  if (countUnescaped(tail, /`/g) % 2 === 1) {
    if (/`\s*$/.test(tail)) return head + tail.replace(/`\s*$/, '');
    return head + tail + '`';
  }
  const outsideCode = tail.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length));
  const written = tail;
  let previousCloser = '';
  for (const { marker, at } of openEmphasis(outsideCode)) {
    // Innermost first, so a marker with nothing after it is still the end of `tail` here.
    if (written.slice(at + marker.length).trim() === '') {
      tail = tail.slice(0, at);
      continue;
    }
    // `**` then `*` reads as one `***` run that marked pairs the wrong way; `_` says the same thing unambiguously.
    const closer = marker === '*' && previousCloser === '**' ? '_' : marker;
    if (closer === '_') tail = `${tail.slice(0, at)}_${tail.slice(at + 1)}`;
    tail = tail.trimEnd() + closer;
    previousCloser = closer;
  }
  return head + tail;
}

function insideCodeFence(text: string): boolean {
  const fences = text.match(/^ {0,3}(```|~~~)/gm);
  return fences !== null && fences.length % 2 === 1;
}

function countUnescaped(text: string, pattern: RegExp): number {
  return (text.replace(/\\./g, '').match(pattern) ?? []).length;
}

/**
 * Emphasis markers (`**` and `*`) left open, innermost first. As in CommonMark, a marker after
 * a space cannot close and one before a space cannot open; a `*` that starts a line and is
 * followed by a space is a list bullet. The end of the text counts as "anything may follow".
 */
function openEmphasis(text: string): Array<{ marker: string; at: number }> {
  const scrubbed = text.replace(/\\./g, '  ').replace(/^(\s*)\*(?= )/gm, '$1 ');
  const stack: Array<{ marker: string; at: number }> = [];
  for (const match of scrubbed.matchAll(/\*\*|\*/g)) {
    const marker = match[0];
    const before = scrubbed.charAt(match.index - 1);
    const after = scrubbed.charAt(match.index + marker.length);
    const canClose = before !== '' && !/\s/.test(before);
    const canOpen = after === '' || !/\s/.test(after);
    if (canClose && stack[stack.length - 1]?.marker === marker) stack.pop();
    else if (canOpen) stack.push({ marker, at: match.index });
  }
  return stack.reverse();
}
