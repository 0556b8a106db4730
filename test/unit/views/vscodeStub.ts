// Just enough of the `vscode` module for an adapter to be tested alone, without an editor: it is
// installed as `vscode` for require() before the adapter is loaded.

import Module from 'node:module';

type Listener<T> = (value: T) => void;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static parse(text: string): Uri {
    const match = /^([a-z]+):\/\/(.*)$/.exec(text);
    return new Uri(match?.[1] ?? 'file', match?.[2] ?? text);
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path.replace(/\/+$/, ''), ...parts].join('/'));
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  constructor(readonly value: string) {}
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  resourceUri?: Uri;
  constructor(
    readonly label: string,
    readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}
}

export const workspace = {
  workspaceFolders: [{ uri: Uri.parse('file:///ws'), name: 'ws', index: 0 }],
  getWorkspaceFolder: (uri: Uri) => (uri.scheme === 'file' && uri.path.startsWith('/ws/') ? workspace.workspaceFolders[0] : undefined),
  asRelativePath: (uri: Uri) => uri.path.replace(/^\/ws\//, ''),
};

export class CustomExecution {
  constructor(readonly callback: (resolvedDefinition: Record<string, unknown>) => Promise<unknown>) {}
}

export class Task {
  detail?: string;
  presentationOptions?: Record<string, unknown>;
  constructor(
    readonly definition: Record<string, unknown>,
    readonly scope: unknown,
    readonly name: string,
    readonly source: string,
    readonly execution?: CustomExecution,
  ) {}
}

export enum TaskRevealKind {
  Always = 1,
  Silent = 2,
  Never = 3,
}

export enum TaskPanelKind {
  Shared = 1,
  Dedicated = 2,
  New = 3,
}

export const tasks = { registerTaskProvider: () => ({ dispose: () => undefined }) };

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Diagnostic {
  source?: string;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

/** Every `set` of every diagnostic collection made, in order, for tests to count and read. */
export const diagnosticSets: { collection: string; uri: string; diagnostics: Diagnostic[] }[] = [];

export const languages = {
  createDiagnosticCollection: (name: string) => ({
    set: (uri: Uri, diagnostics: Diagnostic[]) => diagnosticSets.push({ collection: name, uri: uri.toString(), diagnostics }),
    delete: () => undefined,
    dispose: () => undefined,
  }),
};

const stub = { EventEmitter, Uri, ThemeColor, ThemeIcon, MarkdownString, TreeItemCollapsibleState, TreeItem, Range, workspace, CustomExecution, Task, TaskRevealKind, TaskPanelKind, tasks, Diagnostic, DiagnosticSeverity, languages };

/** Makes `require('vscode')` return the stub. */
export function installVscodeStub(): void {
  const internals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = internals._load;
  internals._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
}
