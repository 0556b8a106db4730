// The lab file as a language, without the YAML extension: completion, hover, definition,
// references, outline, quick fixes and CodeLens for `*.lab.yaml`. Each provider only converts:
// the answers come from src/language/, on the document's text and the last known state (never a
// fresh read of a host, so typing never waits on the network).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { completeAt, type CompletionKind } from '../language/completion';
import { hostLenses } from '../language/hostLenses';
import { hoverAt } from '../language/hover';
import { parseKeyDocs, type KeyDocs } from '../language/keyDocs';
import { LabText } from '../language/labText';
import { hostDriftItems, liveFactsOf, reachability, type LiveFacts } from '../language/liveFacts';
import { definitionsAt, referencesAt } from '../language/navigation';
import { labOutline, type LabSymbol, type LabSymbolKind } from '../language/outline';
import { quickFixesAt } from '../language/quickFixes';
import type { Lab, SourceRange } from '../lab/types';
import type { LastTestResults } from '../labtests/lastResults';
import type { LiveLabs } from '../session/liveLabs';
import { Debouncer } from '../util/debounce';
import { isLabFilePath } from './labFileNames';

export const LAB_FILES: vscode.DocumentSelector = [{ pattern: '**/*.lab.yaml' }];

/**
 * How long after the last keystroke the model is read again (hover and completion use the last
 * one meanwhile). Shorter than the validator's wait (labFileSync's typing pause), so that by the
 * time a problem's squiggle shows, the model of that version is read and a quick fix asked there
 * is answered from it.
 */
const MODEL_READ_DELAY_MS = 200;

const COMPLETION_KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  key: vscode.CompletionItemKind.Property,
  host: vscode.CompletionItemKind.Module,
  endpoint: vscode.CompletionItemKind.Reference,
  interface: vscode.CompletionItemKind.Interface,
  enum: vscode.CompletionItemKind.EnumMember,
  value: vscode.CompletionItemKind.Value,
};

const SYMBOL_KINDS: Record<LabSymbolKind, vscode.SymbolKind> = {
  section: vscode.SymbolKind.Namespace,
  host: vscode.SymbolKind.Module,
  interface: vscode.SymbolKind.Interface,
  bridge: vscode.SymbolKind.Struct,
  port: vscode.SymbolKind.Field,
  segment: vscode.SymbolKind.Array,
  script: vscode.SymbolKind.Function,
  test: vscode.SymbolKind.Event,
};

/** The argument the host commands take for one host (a tree item's shape). */
function hostArgument(key: string, host: string): unknown {
  return { kind: 'item', key, model: { host } };
}

function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(Math.max(0, range.line - 1), Math.max(0, range.col - 1), Math.max(0, range.endLine - 1), Math.max(0, range.endCol - 1));
}

function toSourceRange(range: vscode.Range): SourceRange {
  return { line: range.start.line + 1, col: range.start.character + 1, endLine: range.end.line + 1, endCol: range.end.character + 1 };
}

export class LabLanguage implements vscode.Disposable {
  private readonly texts = new Map<string, { version: number; text: LabText; lab?: Lab }>();
  private readonly modelReads = new Debouncer<string>(MODEL_READ_DELAY_MS);
  private readonly lensSummaries = new Map<string, string>();
  private readonly docs: KeyDocs;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly registrations: vscode.Disposable[];

  constructor(
    extensionPath: string,
    private readonly live: LiveLabs,
    private readonly log: vscode.LogOutputChannel,
    private readonly testResults?: LastTestResults,
  ) {
    this.docs = readKeyDocs(extensionPath);
    this.registrations = [
      vscode.languages.registerCompletionItemProvider(LAB_FILES, { provideCompletionItems: (d, p) => this.complete(d, p) }, ':', ' ', '-', '[', ','),
      vscode.languages.registerHoverProvider(LAB_FILES, { provideHover: (d, p) => this.hover(d, p) }),
      vscode.languages.registerDefinitionProvider(LAB_FILES, { provideDefinition: (d, p) => this.definition(d, p) }),
      vscode.languages.registerReferenceProvider(LAB_FILES, { provideReferences: (d, p, c) => this.references(d, p, c.includeDeclaration) }),
      vscode.languages.registerDocumentSymbolProvider(LAB_FILES, { provideDocumentSymbols: (d) => this.symbols(d) }, { label: 'Lab' }),
      vscode.languages.registerCodeActionsProvider(LAB_FILES, { provideCodeActions: (d, r, c) => this.codeActions(d, r, c) }, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.Source],
      }),
      vscode.languages.registerCodeLensProvider(LAB_FILES, { provideCodeLenses: (d) => this.lenses(d), onDidChangeCodeLenses: this.lensesChanged.event }),
      live.onDidChange(({ key }) => this.liveChanged(key)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        if (isLabFilePath(document.uri.fsPath)) this.modelReads.schedule(document.uri.toString(), () => this.readModel(document));
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.modelReads.cancel(d.uri.toString());
        this.texts.delete(d.uri.toString());
      }),
      this.lensesChanged,
    ];
  }

  /**
   * The lenses are asked for again only when what they say changed (reachable, reading, drift
   * count): the live state changes far more often than that, and a lens asked for on every change
   * would never settle on the screen.
   */
  private liveChanged(key: string): void {
    const cached = this.texts.get(key);
    if (!cached) return;
    const facts = liveFactsOf(this.live, key, cached.lab);
    const hosts = cached.lab?.hosts.map((h) => h.name) ?? [];
    const summary = hosts.map((h) => `${h}:${reachability(facts, h).reachable}:${facts.reading.has(h)}:${hostDriftItems(facts, h).length}`).join('|');
    if (this.lensSummaries.get(key) === summary) return;
    this.lensSummaries.set(key, summary);
    this.lensesChanged.fire();
  }

  /** The document's text, parsed once per version; the pieces the last version shares with it are reused. */
  private textOf(document: vscode.TextDocument): LabText {
    const key = document.uri.toString();
    const cached = this.texts.get(key);
    if (cached?.version === document.version) return cached.text;
    const text = new LabText(document.getText(), document.uri.fsPath, cached?.text);
    this.texts.set(key, { version: document.version, text, lab: cached?.lab });
    return text;
  }

  /**
   * The model of the file as last read, for what it says of names (hosts, their devices): a read
   * of the whole file is not waited for on each keystroke. The current version is read soon after,
   * off the keystroke's path; the first time, it is read at once.
   */
  private modelOf(document: vscode.TextDocument): Lab | undefined {
    const text = this.textOf(document);
    const entry = this.texts.get(document.uri.toString())!;
    if (text.modelRead || entry.lab === undefined) return (entry.lab = text.lab);
    const key = document.uri.toString();
    if (!this.modelReads.isPending(key)) this.modelReads.schedule(key, () => this.readModel(document));
    return entry.lab;
  }

  /** The model of the document's current version, read once the typing pauses. */
  private readModel(document: vscode.TextDocument): void {
    if (document.isClosed) return;
    const text = this.textOf(document);
    this.texts.get(document.uri.toString())!.lab = text.lab;
  }

  private facts(document: vscode.TextDocument, lab: Lab | undefined): LiveFacts {
    return liveFactsOf(this.live, document.uri.toString(), lab, this.testResults);
  }

  private offset(document: vscode.TextDocument, position: vscode.Position): number {
    return document.offsetAt(position);
  }

  private complete(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    // The names come from the file as last read (a keystroke old at most); only the lines around
    // the cursor are parsed now, so typing in a large file never waits for a whole read.
    const lab = this.modelOf(document);
    const answer = completeAt(document.getText(), this.offset(document, position), lab, this.facts(document, lab), this.docs);
    const replace = new vscode.Range(document.positionAt(answer.replaceStart), document.positionAt(answer.replaceEnd));
    return answer.items.map((item) => {
      const completion = new vscode.CompletionItem(item.label, COMPLETION_KINDS[item.kind]);
      completion.insertText = item.insertText ?? item.label;
      completion.detail = item.detail;
      if (item.documentation) completion.documentation = new vscode.MarkdownString(item.documentation);
      completion.range = replace;
      return completion;
    });
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const text = this.textOf(document);
    const lab = this.modelOf(document);
    const hover = hoverAt(text, this.offset(document, position), lab, this.facts(document, lab), this.docs);
    return hover && new vscode.Hover(new vscode.MarkdownString(hover.markdown), toRange(hover.range));
  }

  private definition(document: vscode.TextDocument, position: vscode.Position): vscode.Location[] {
    return definitionsAt(this.textOf(document), this.offset(document, position)).map((r) => new vscode.Location(document.uri, toRange(r)));
  }

  private references(document: vscode.TextDocument, position: vscode.Position, includeDeclaration: boolean): vscode.Location[] {
    return referencesAt(this.textOf(document), this.offset(document, position), includeDeclaration).map((r) => new vscode.Location(document.uri, toRange(r)));
  }

  private symbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const convert = (symbol: LabSymbol): vscode.DocumentSymbol => {
      const result = new vscode.DocumentSymbol(symbol.name, symbol.detail ?? '', SYMBOL_KINDS[symbol.kind], toRange(symbol.range), toRange(symbol.selectionRange));
      result.children = symbol.children.map(convert);
      return result;
    };
    return labOutline(this.textOf(document)).map(convert);
  }

  private codeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const text = this.textOf(document);
    // At a problem, what is wrong must be read from this very version (the edit that made the
    // problem may be a moment old); elsewhere the last model is enough for plan and apply.
    const lab = context.diagnostics.length > 0 ? text.lab : this.modelOf(document);
    const facts = this.facts(document, lab);
    const key = document.uri.toString();
    const wanted = [range, ...context.diagnostics.map((d) => d.range)];
    const seen = new Set<string>();
    const actions: vscode.CodeAction[] = [];
    for (const at of wanted) {
      for (const fix of quickFixesAt(text, toSourceRange(at), lab, facts)) {
        if (seen.has(fix.title)) continue;
        seen.add(fix.title);
        const action = new vscode.CodeAction(fix.title, fix.kind === 'quickfix' ? vscode.CodeActionKind.QuickFix : vscode.CodeActionKind.Source);
        if (fix.edits) {
          action.edit = new vscode.WorkspaceEdit();
          for (const edit of fix.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
          action.diagnostics = context.diagnostics.filter((d) => d.range.intersection(at));
        }
        if (fix.command) action.command = { title: fix.title, command: fix.command.id, arguments: [hostArgument(key, fix.command.host)] };
        action.isPreferred = fix.preferred;
        actions.push(action);
      }
    }
    return actions;
  }

  private lenses(document: vscode.TextDocument): vscode.CodeLens[] {
    try {
      return this.lensesOf(document);
    } catch (error) {
      // A provider's exception is otherwise lost between the extension host and the editor.
      this.log.error(`CodeLens for ${document.uri.fsPath}: ${(error as Error).stack ?? String(error)}`);
      return [];
    }
  }

  private lensesOf(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = this.textOf(document);
    const key = document.uri.toString();
    return hostLenses(text, this.facts(document, this.modelOf(document))).map(
      (lens) => new vscode.CodeLens(toRange(lens.range), { title: lens.title, command: lens.command, tooltip: lens.tooltip, arguments: [hostArgument(key, lens.host)] }),
    );
  }

  dispose(): void {
    this.modelReads.dispose();
    for (const registration of this.registrations) registration.dispose();
    this.texts.clear();
  }
}

/** The format page ships with the extension; without it completion still lists the keys, undocumented. */
function readKeyDocs(extensionPath: string): KeyDocs {
  try {
    return parseKeyDocs(readFileSync(join(extensionPath, 'docs', 'lab-format.md'), 'utf8'));
  } catch {
    return new Map();
  }
}
