// Go to definition and find references: from `remote: gw-nyc`, a `jump:`, a script's host, a
// segment member or a test endpoint to the host or device it names, and back.

import type { SourceRange } from '../lab/types';
import type { LabText } from './labText';
import { nameAt, namesOf, sameName } from './labPlaces';

/** Where the name under `offset` is defined; for an alias, where its anchor is. Empty when nothing is. */
export function definitionsAt(text: LabText, offset: number): SourceRange[] {
  const anchor = anchorOfAlias(text, offset);
  if (anchor) return [anchor];
  const found = nameAt(text, offset);
  if (!found) return [];
  return namesOf(text)
    .definitions.filter((d) => sameName(d, found.ref))
    .map((d) => text.rangeAt(d.start, d.end));
}

/** Every place that names what is under `offset`; the definitions too when asked, as VS Code asks. */
export function referencesAt(text: LabText, offset: number, includeDefinition: boolean): SourceRange[] {
  const found = nameAt(text, offset);
  if (!found) return [];
  const { definitions, references } = namesOf(text);
  const places = [...(includeDefinition ? definitions : []), ...references].filter((r) => sameName(r, found.ref));
  return places.sort((a, b) => a.start - b.start).map((r) => text.rangeAt(r.start, r.end));
}

/** `*base` → where `&base` is written. */
function anchorOfAlias(text: LabText, offset: number): SourceRange | undefined {
  const before = text.text.slice(Math.max(0, offset - 200), offset);
  const after = text.text.slice(offset, offset + 200);
  const head = /\*([^\s,\[\]{}]*)$/.exec(before);
  if (!head) return undefined;
  const name = head[1] + (/^[^\s,\[\]{}]*/.exec(after)?.[0] ?? '');
  if (!name) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const anchor = new RegExp(`&${escaped}(?=[\\s,\\[\\]{}]|$)`).exec(text.text);
  return anchor ? text.rangeAt(anchor.index, anchor.index + anchor[0].length) : undefined;
}
