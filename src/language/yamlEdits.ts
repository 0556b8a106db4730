// Small edits of a lab file's YAML that keep the user's style: an item added to a list or a
// pair added to a map is written in flow style inside `[...]`/`{...}` and as a new line at the
// list's or map's own indentation in block style; a pair taken out takes its whole lines with it
// (block) or its comma (flow). Pure: offsets in, replacements out.

import { isMap, isSeq, type Node, type Pair } from 'yaml';
import type { LabText, YamlPath } from './labText';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Adds `item` (flow YAML, one line) to the end of the list at `path`. */
export function appendToList(text: LabText, path: YamlPath, item: string): TextEdit | undefined {
  const list = text.nodeAt(path);
  if (!isSeq(list) || !list.range) return undefined;
  if (list.flow) {
    const close = text.text.lastIndexOf(']', list.range[1]);
    if (close < 0) return undefined;
    return { start: close, end: close, text: list.items.length ? `, ${item}` : item };
  }
  const last = list.items[list.items.length - 1] as Node | undefined;
  if (!last?.range) return undefined;
  const first = list.items[0] as Node;
  const indent = text.lineOf(first.range![0]);
  const dash = text.text.lastIndexOf('-', first.range![0]);
  const column = dash >= indent.start ? dash - indent.start : indent.indent;
  const end = text.lineOf(last.range[1] > last.range[0] ? last.range[1] - 1 : last.range[0]).end;
  return { start: end, end, text: `\n${' '.repeat(column)}- ${item}` };
}

/** Adds `key: value` to the map at `path` (the value in flow YAML, one line). */
export function addToMap(text: LabText, path: YamlPath, key: string, value: string): TextEdit | undefined {
  const map = text.nodeAt(path);
  if (!isMap(map) || !map.range) return undefined;
  if (map.flow) {
    const close = text.text.lastIndexOf('}', map.range[1]);
    if (close < 0) return undefined;
    const before = text.text.slice(0, close).trimEnd();
    const at = before.length;
    return { start: at, end: at, text: map.items.length ? `, ${key}: ${value}` : `${key}: ${value}` };
  }
  const first = map.items[0]?.key as Node | undefined;
  if (!first?.range) return undefined;
  const column = first.range[0] - text.lineOf(first.range[0]).start;
  const lastPair = map.items[map.items.length - 1];
  const end = text.lineOf(pairEnd(lastPair) - 1).end;
  return { start: end, end, text: `\n${' '.repeat(column)}${key}: ${value}` };
}

/** Replaces the value of `key` in the map at `path`, or adds the pair. */
export function setInMap(text: LabText, path: YamlPath, key: string, value: string): TextEdit | undefined {
  const pair = text.pairAt(path, key);
  const node = pair?.value as Node | null | undefined;
  if (node?.range) return { start: node.range[0], end: node.range[1], text: value };
  return addToMap(text, path, key, value);
}

/** Takes `key` out of the map at `path`. */
export function removeFromMap(text: LabText, path: YamlPath, key: string): TextEdit | undefined {
  const map = text.nodeAt(path);
  const pair = text.pairAt(path, key);
  const keyNode = pair?.key as Node | undefined;
  if (!isMap(map) || !pair || !keyNode?.range) return undefined;
  const start = keyNode.range[0];
  const end = pairEnd(pair);
  if (map.flow) {
    const after = /^\s*,\s*/.exec(text.text.slice(end));
    if (after) return { start, end: end + after[0].length, text: '' };
    const before = /,\s*$/.exec(text.text.slice(0, start));
    return { start: before ? start - before[0].length : start, end, text: '' };
  }
  if (map.items.length === 1) {
    // The map's only pair: the map becomes `{}`, which still says the object is there.
    return { start, end, text: '{}' };
  }
  const from = text.lineOf(start);
  const to = text.lineOf(end - 1);
  return { start: from.start, end: Math.min(to.end + 1, text.text.length), text: '' };
}

function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  const key = pair.key as Node;
  return value?.range ? value.range[1] : key.range![1];
}
