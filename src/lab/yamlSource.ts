// The lab file as a YAML syntax tree that knows where each node was written. Every diagnostic
// of the validator points at a node of this tree, so positions come from here only.

import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, visit } from 'yaml';
import type { Document, Node, Scalar, YAMLError } from 'yaml';
import type { DiagnosticSink } from './diagnostics';
import type { SourceRange } from './types';

export class YamlSource {
  readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  /**
   * `tree`: the file already parsed (the editor keeps a tree of the text it is typed in, parsed
   * piece by piece); its nodes' ranges must be offsets of `text`. Without it, the text is parsed.
   */
  constructor(readonly text: string, tree?: Document.Parsed) {
    if (tree) {
      this.doc = tree;
      this.lines.addNewLine(0);
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lines.addNewLine(i + 1);
      return;
    }
    this.doc = parseDocument(text, {
      lineCounter: this.lines,
      keepSourceTokens: true,
      // Our own messages carry the position; yaml's pretty errors would repeat it in the text.
      prettyErrors: false,
      // `<<: *base` is common in hand-written YAML; the reader applies merges itself.
      merge: true,
      uniqueKeys: true,
    });
  }

  /** From character offsets to 1-based line/column, end exclusive. */
  rangeAt(start: number, end: number): SourceRange {
    const from = this.lines.linePos(start);
    const to = this.lines.linePos(Math.max(start, end));
    return { line: from.line, col: from.col, endLine: to.line, endCol: to.col };
  }

  /** Where a node's value was written (without its trailing comment). */
  rangeOf(node: Node): SourceRange {
    const [start, valueEnd] = node.range ?? [0, 0];
    return this.rangeAt(start, valueEnd);
  }

  /** Report YAML syntax errors and warnings; true when there was an error. */
  reportSyntax(sink: DiagnosticSink): boolean {
    for (const error of this.doc.errors) {
      let [start, end] = error.pos;
      // yaml marks only the first character of a duplicate key; mark the whole key.
      if (error.code === 'DUPLICATE_KEY') end = start + this.duplicateKeyText(start).length;
      sink.error(this.rangeAt(start, end), this.syntaxMessage(error));
    }
    for (const warning of this.doc.warnings) sink.warning(this.rangeAt(warning.pos[0], warning.pos[1]), `YAML: ${warning.message}`);
    return this.reportUnresolvedAliases(sink) || this.doc.errors.length > 0;
  }

  /** yaml leaves `*name` with no `&name` before it for later; for a lab file it is a syntax error. */
  private reportUnresolvedAliases(sink: DiagnosticSink): boolean {
    let found = false;
    visit(this.doc, {
      Alias: (_key, alias) => {
        if (alias.resolve(this.doc)) return;
        found = true;
        sink.error(this.rangeOf(alias), `alias *${alias.source} has no anchor &${alias.source} before it`);
      },
    });
    return found;
  }

  private duplicateKeyText(start: number): string {
    return (/^[^:,{}\[\]\n]*/.exec(this.text.slice(start))?.[0] ?? '').trimEnd();
  }

  private syntaxMessage(error: YAMLError): string {
    switch (error.code) {
      case 'DUPLICATE_KEY': {
        const key = this.duplicateKeyText(error.pos[0]);
        return `duplicate key${key ? ` ${key}` : ''}: a key may appear only once in a map; merge the two entries`;
      }
      case 'TAB_AS_INDENT':
        return 'YAML does not allow tabs for indentation; indent with spaces';
      case 'MULTIPLE_DOCS':
        return 'the file holds more than one YAML document ("---"); keep one lab per file';
      default:
        return `YAML syntax error: ${error.message}`;
    }
  }
}

/** The text of a map key or of a scalar as written: `1e3` stays "1e3", not "1000". */
export function scalarText(node: Scalar): string {
  if (typeof node.value === 'string') return node.value;
  if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
  return String(node.value);
}

/** How a node looks to someone reading a message: "a map", "a list", `the number 42`. */
export function describeNode(node: Node | null | undefined): string {
  if (node == null) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return `the alias *${node.source}`;
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `the text ${JSON.stringify(v)}`;
    if (typeof v === 'number') return `the number ${scalarText(node)}`;
    if (typeof v === 'boolean') return String(v);
    return JSON.stringify(scalarText(node));
  }
  return 'something else';
}
