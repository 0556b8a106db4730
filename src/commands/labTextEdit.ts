// Putting a new lab text into an open document as an edit the user can undo: only the lines that
// differ are replaced (so the cursor, folds and marks elsewhere stay), with the document's own
// line ends; and where the new script's name is, to reveal it. Pure.

import { isMap, isScalar, parseDocument } from 'yaml';

export interface TextReplacement {
  /** Offsets into the old text. */
  start: number;
  end: number;
  text: string;
}

/** The new text with the line ends of the old one (the YAML printer writes `\n`). */
export function withLineEnds(text: string, eol: '\n' | '\r\n'): string {
  const unix = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? unix : unix.replace(/\n/g, '\r\n');
}

/**
 * The smallest run of whole lines of `before` to replace to get `after`; undefined when they are
 * the same. Whole lines, so that a line end (CRLF) or a character is never cut in two.
 */
export function lineReplacement(before: string, after: string): TextReplacement | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const shortest = Math.min(before.length, after.length);
  while (prefix < shortest && before[prefix] === after[prefix]) prefix++;
  prefix = before.lastIndexOf('\n', prefix - 1) + 1;
  let suffix = 0;
  while (suffix < shortest - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  // Back to the start of a line: the kept tail begins just after a line end (or is the end of the text).
  while (suffix > 0 && before[before.length - suffix - 1] !== '\n') suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

/** Where `scripts.<name>` is written (its key), as offsets; undefined when it is not there. */
export function scriptKeyRange(text: string, name: string): { start: number; end: number } | undefined {
  const doc = parseDocument(text);
  const scripts = doc.get('scripts', true);
  if (!isMap(scripts)) return undefined;
  for (const item of scripts.items) {
    if (isScalar(item.key) && String(item.key.value) === name && item.key.range) return { start: item.key.range[0], end: item.key.range[1] };
  }
  return undefined;
}
