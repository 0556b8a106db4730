// A lab file as the language features see it while the user types: the YAML tree with offsets
// (tolerant of errors), and the model read from it as far as it reads. The loader hands out a
// model only for a file without errors; completion and hover must work in a file that is half
// written, so the draft model is read here with its diagnostics thrown away (the editor shows
// them through the validator already). The model is read from the same tree, parsed piece by
// piece, so a new version costs the read and the resolution, not a parse of the whole file.

import { Document, isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import { DiagnosticSink } from '../lab/diagnostics';
import { ReadContext } from '../lab/mapReader';
import { readLab } from '../lab/readLab';
import { resolveLab } from '../lab/resolve';
import type { Lab, SourceRange } from '../lab/types';
import { scalarText, YamlSource } from '../lab/yamlSource';
import { parsePieceTree, type PieceCache } from './pieceTree';

/** A path in the YAML tree: map keys and list indexes, from the top. */
export type YamlPath = (string | number)[];

/** A scalar of the file (a key or a value) with where it sits in the tree. */
export interface PlacedScalar {
  /** The keys and indexes that lead to it; for a key, the path of the map that holds it. */
  path: YamlPath;
  role: 'key' | 'value';
  text: string;
  /** Offsets of the scalar as written (quotes included). */
  start: number;
  end: number;
  node: Scalar;
}

export class LabText {
  /** The tree, parsed piece by piece (see pieceTree.ts); the previous version's pieces are reused. */
  readonly root: Node | null;
  readonly pieces: PieceCache;
  private readonly lineStarts: number[];
  private scalarList?: PlacedScalar[];
  private model?: { lab: Lab | undefined };

  /** `previous`: the pieces of the document's last version, to take unchanged pieces from. Its tree is not to be used after. */
  constructor(readonly text: string, readonly file: string, previous?: LabText) {
    const tree = parsePieceTree(text, previous?.pieces);
    this.root = tree.root;
    this.pieces = tree.cache;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /**
   * The draft model, resolved; undefined when the file is not a map at all. Read when first
   * asked: the outline and navigation need only the tree.
   */
  get lab(): Lab | undefined {
    if (!this.model) {
      try {
        const draft = readLab(new ReadContext(this.modelSource(), new DiagnosticSink(this.file)), this.file);
        this.model = { lab: draft && resolveLab(draft) };
      } catch {
        // A tree odd enough to break resolution gives no model; the YAML-only features still work.
        this.model = { lab: undefined };
      }
    }
    return this.model.lab;
  }

  /**
   * The tree the model is read from: the pieces' tree, in a document of its own. An alias
   * resolves there across pieces as in one parse of the file (yaml finds an anchor by walking
   * the document, in file order, and the pieces are in file order).
   */
  private modelSource(): YamlSource {
    const doc = new Document(null, { merge: true }) as unknown as Document.Parsed;
    doc.contents = this.root as Document.Parsed['contents'];
    return new YamlSource(this.text, doc);
  }

  /** Whether the model has been read already (reading it costs a read and resolution of the whole lab). */
  get modelRead(): boolean {
    return this.model !== undefined;
  }

  /** From a 1-based line and column to an offset. */
  offsetAt(line: number, col: number): number {
    const start = this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1];
    return Math.min(start + col - 1, this.text.length);
  }

  /** From an offset to 1-based line and column. */
  positionAt(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.lineStarts[lo] + 1 };
  }

  rangeAt(start: number, end: number): SourceRange {
    const from = this.positionAt(start);
    const to = this.positionAt(end);
    return { line: from.line, col: from.col, endLine: to.line, endCol: to.col };
  }

  /** The offsets of a 1-based range. */
  offsetsOf(range: SourceRange): { start: number; end: number } {
    return { start: this.offsetAt(range.line, range.col), end: this.offsetAt(range.endLine, range.endCol) };
  }

  /** Every scalar of the file, keys and values, in file order (aliases are not followed). */
  scalars(): PlacedScalar[] {
    if (!this.scalarList) {
      this.scalarList = [];
      collectScalars(this.root, [], this.scalarList);
    }
    return this.scalarList;
  }

  /** The scalar under an offset (its last character counts as under it, as a cursor just after a word is). */
  scalarAt(offset: number): PlacedScalar | undefined {
    return this.scalars().find((s) => s.start <= offset && offset <= s.end);
  }

  /** The node at a path, aliases not followed. */
  nodeAt(path: YamlPath): Node | undefined {
    let node = this.root as Node | null | undefined;
    for (const step of path) {
      if (isMap(node)) node = pairOf(node.items, step)?.value as Node | undefined;
      else if (isSeq(node) && typeof step === 'number') node = node.items[step] as Node | undefined;
      else return undefined;
    }
    return node ?? undefined;
  }

  /** The pair of `key` in the map at `path`. */
  pairAt(path: YamlPath, key: string): Pair | undefined {
    const map = this.nodeAt(path);
    return isMap(map) ? pairOf(map.items, key) : undefined;
  }

  /** The start of the line that holds `offset`, and its indentation. */
  lineOf(offset: number): { start: number; end: number; indent: number } {
    const { line } = this.positionAt(offset);
    const start = this.lineStarts[line - 1];
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    let indent = 0;
    while (this.text[start + indent] === ' ') indent++;
    return { start, end, indent };
  }
}

function pairOf(items: Pair[], key: string | number): Pair | undefined {
  return items.find((pair) => isScalar(pair.key) && scalarText(pair.key) === String(key));
}

function collectScalars(node: Node | null | undefined, path: YamlPath, out: PlacedScalar[]): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (isScalar(key) && key.range && key.value !== null && typeof key.value !== 'symbol') {
        const text = scalarText(key);
        out.push({ path, role: 'key', text, start: key.range[0], end: key.range[1], node: key });
        collectScalars(pair.value as Node | null, [...path, text], out);
      } else if (isScalar(key) && typeof key.value === 'symbol') {
        // `<<: *base`: the merged map is read where its anchor is.
        continue;
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectScalars(item as Node | null, [...path, i], out));
  } else if (isScalar(node) && node.range && node.value !== null) {
    out.push({ path, role: 'value', text: scalarText(node), start: node.range[0], end: node.range[1], node });
  }
}

/** Does `path` match `pattern`? `*` is any key, `#` any list index. */
export function pathMatches(path: YamlPath, pattern: readonly string[]): boolean {
  if (path.length !== pattern.length) return false;
  return pattern.every((step, i) => (step === '*' ? typeof path[i] === 'string' : step === '#' ? typeof path[i] === 'number' : path[i] === step));
}
