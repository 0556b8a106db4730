// The YAML tree of a lab file, parsed piece by piece so that a keystroke costs the parse of the
// piece it falls in, not of the whole file: each top-level key is a piece, and a top-level map
// written in block style (`hosts:` with its entries below) is split again into one piece per
// entry (one per host). Pieces whose text did not change are taken from the previous version,
// their offsets moved. Aliases are not followed across pieces: the language features never
// follow them (the model is read from one parse of the whole file).

import { isMap, parseDocument, visit, Pair, YAMLMap, type Document, type Node } from 'yaml';

interface Piece {
  text: string;
  /** Where the piece starts in the file, as its nodes' ranges say now. */
  base: number;
  doc: Document.Parsed;
}

export interface PieceCache {
  pieces: Map<string, Piece[]>;
}

export interface PieceTree {
  root: Node | null;
  cache: PieceCache;
}

const KEY_LINE = /^[A-Za-z0-9_.-][^:#]*:(\s|$)/;
const BARE_KEY_LINE = /^[A-Za-z0-9_.-][^:#]*:\s*(#.*)?$/;

function lineIndent(line: string): number {
  return /^\s*(#.*)?$/.test(line) ? -1 : line.length - line.trimStart().length;
}

/** The file's pieces, as offsets: undefined when its layout is not plain top-level keys (documents, directives, a flow map at the top). */
function splitPieces(text: string): { start: number; end: number; children?: { start: number; end: number }[] }[] | undefined {
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  const lineStart: number[] = [];
  for (const line of lines) {
    lineStart.push(offset);
    offset += line.length + 1;
  }
  for (const [i, line] of lines.entries()) {
    if (lineIndent(line) !== 0) continue;
    if (!KEY_LINE.test(line)) return undefined;
    starts.push(i);
  }
  if (starts.length === 0) return undefined;
  // Comments and blank lines before the first key belong to it.
  starts[0] = 0;
  const pieces: { start: number; end: number; children?: { start: number; end: number }[] }[] = [];
  for (const [n, first] of starts.entries()) {
    const last = n + 1 < starts.length ? starts[n + 1] : lines.length;
    const piece: { start: number; end: number; children?: { start: number; end: number }[] } = { start: lineStart[first], end: last < lines.length ? lineStart[last] : text.length };
    const keyLine = lines.slice(first, last).findIndex((line) => lineIndent(line) === 0) + first;
    if (BARE_KEY_LINE.test(lines[keyLine])) {
      const body = lines.slice(keyLine + 1, last);
      const childIndent = body.map(lineIndent).find((indent) => indent >= 0);
      if (childIndent !== undefined && childIndent > 0) {
        const entries = body.flatMap((line, i) => (lineIndent(line) === childIndent && KEY_LINE.test(line.slice(childIndent)) ? [keyLine + 1 + i] : []));
        const firstBody = body.findIndex((line) => lineIndent(line) >= 0);
        // Every line of the body inside an entry (no stray list items or deeper lines before the first key).
        if (entries.length > 0 && keyLine + 1 + firstBody === entries[0]) {
          piece.children = entries.map((line, i) => ({ start: lineStart[line], end: i + 1 < entries.length ? lineStart[entries[i + 1]] : piece.end }));
          // The key line on its own (with what precedes it).
          piece.end = lineStart[entries[0]];
        }
      }
    }
    pieces.push(piece);
  }
  return pieces;
}

function shift(doc: Document.Parsed, by: number): void {
  if (by === 0) return;
  visit(doc, (_key, node) => {
    // A pair with nothing after its colon (or a half-typed line) has a null key or value.
    const n = node as Node | null;
    if (n?.range) n.range = [n.range[0] + by, n.range[1] + by, n.range[2] + by];
  });
}

export function parsePieceTree(text: string, previous?: PieceCache): PieceTree {
  const layout = splitPieces(text);
  const cache: PieceCache = { pieces: new Map() };
  const take = (start: number, end: number): Document.Parsed => {
    const pieceText = text.slice(start, end);
    const reused = previous?.pieces.get(pieceText)?.shift();
    let piece: Piece;
    if (reused) {
      shift(reused.doc, start - reused.base);
      piece = { text: pieceText, base: start, doc: reused.doc };
    } else {
      // Parsed alone, then moved to where it stands in the file.
      const doc = parseDocument(pieceText, { keepSourceTokens: false, merge: true, uniqueKeys: false, prettyErrors: false });
      shift(doc, start);
      piece = { text: pieceText, base: start, doc };
    }
    const list = cache.pieces.get(pieceText) ?? [];
    list.push(piece);
    cache.pieces.set(pieceText, list);
    return piece.doc;
  };
  if (!layout) return { root: (take(0, text.length).contents as Node | null) ?? null, cache };
  const root = new YAMLMap();
  root.range = [0, text.length, text.length];
  for (const piece of layout) {
    const head = take(piece.start, piece.end).contents as Node | null;
    if (!isMap(head)) continue;
    if (!piece.children) {
      root.items.push(...(head.items as Pair[]));
      continue;
    }
    const section = new YAMLMap();
    for (const child of piece.children) {
      const entry = take(child.start, child.end).contents as Node | null;
      if (isMap(entry)) section.items.push(...(entry.items as Pair[]));
    }
    const first = piece.children[0].start;
    const last = piece.children[piece.children.length - 1].end;
    section.range = [first, last, last];
    const pair = head.items[0] as Pair | undefined;
    if (pair) root.items.push(new Pair(pair.key, section));
  }
  return { root, cache };
}
