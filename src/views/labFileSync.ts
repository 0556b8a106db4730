// Feeds the lab workspace from the editor: the workspace's *.lab.yaml files from disk, and the
// live text of those open in an editor (an open document wins over its file on disk). Typing is
// checked once it pauses; open, save and close are checked at once.

import * as vscode from 'vscode';
import type { LabWorkspace } from '../session/labWorkspace';
import { Debouncer } from '../util/debounce';
import { isExcludedPath, isLabFilePath, LAB_FILE_EXCLUDE, LAB_FILE_GLOB } from './labFileNames';
import { findLabFilesByWalking } from './labFileWalk';

const TYPING_PAUSE_MS = 250;

export class LabFileSync implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly typing = new Debouncer<string>(TYPING_PAUSE_MS);
  /** Bumped on every update of a file, so a slow disk read never overwrites newer text. */
  private readonly generations = new Map<string, number>();
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly workspace: LabWorkspace,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Reads every lab file and starts following documents and the file system. */
  async start(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher(LAB_FILE_GLOB);
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => this.fileChangedOnDisk(uri)),
      watcher.onDidChange((uri) => this.fileChangedOnDisk(uri)),
      watcher.onDidDelete((uri) => this.fileDeleted(uri)),
      vscode.workspace.onDidOpenTextDocument((document) => this.documentChanged(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.documentTyped(document)),
      vscode.workspace.onDidSaveTextDocument((document) => this.documentChanged(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.documentClosed(document)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
    );
    await this.rescan();
  }

  /** Finds the lab files again, re-reads them, and forgets those that are gone. */
  async rescan(): Promise<void> {
    const found = await this.findLabFiles();
    const keep = new Set(found.map((uri) => uri.toString()));
    for (const document of vscode.workspace.textDocuments) {
      if (this.isLabDocument(document)) keep.add(document.uri.toString());
    }
    for (const snapshot of this.workspace.all()) {
      if (!keep.has(snapshot.key)) this.workspace.remove(snapshot.key);
    }
    await Promise.all(found.map((uri) => this.fileChangedOnDisk(uri)));
    for (const document of vscode.workspace.textDocuments) this.documentChanged(document);
  }

  /** A lab file the tree lists: one in a workspace folder, saved or not. */
  static isInWorkspace(uri: vscode.Uri): boolean {
    return uri.scheme !== 'untitled' && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  }

  private async findLabFiles(): Promise<vscode.Uri[]> {
    if (!vscode.workspace.workspaceFolders?.length) return [];
    try {
      const found = await vscode.workspace.findFiles(LAB_FILE_GLOB, LAB_FILE_EXCLUDE);
      if (found.length) return found;
    } catch (error) {
      this.log.warn(`Searching the workspace for lab files failed (${(error as Error).message}); looking through the folders instead.`);
    }
    // Without a working search service (code-server without ripgrep) findFiles finds nothing:
    // a bounded walk of the folders still finds the labs of an ordinary workspace.
    return findLabFilesByWalking(vscode.workspace.workspaceFolders.map((folder) => folder.uri));
  }

  /**
   * Documents of other schemes (a Git diff's `git:` side, output panes) are not lab files even
   * when named like one: only files, untitled documents, and documents of a workspace folder.
   */
  private isLabDocument(document: vscode.TextDocument): boolean {
    const uri = document.uri;
    if (!isLabFilePath(uri.path) || isExcludedPath(uri.path)) return false;
    return uri.scheme === 'file' || uri.scheme === 'untitled' || vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((document) => document.uri.toString() === key && !document.isClosed);
  }

  private nextGeneration(key: string): number {
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    return generation;
  }

  private documentChanged(document: vscode.TextDocument): void {
    if (!this.isLabDocument(document) || document.isClosed) return;
    const key = document.uri.toString();
    this.typing.cancel(key);
    this.nextGeneration(key);
    this.workspace.update(key, this.pathOf(document.uri), document.getText());
  }

  private documentTyped(document: vscode.TextDocument): void {
    if (!this.isLabDocument(document)) return;
    this.typing.schedule(document.uri.toString(), () => this.documentChanged(document));
  }

  /** A closed document's unsaved edits are gone: the file on disk is the lab again. */
  private documentClosed(document: vscode.TextDocument): void {
    if (!this.isLabDocument(document)) return;
    const key = document.uri.toString();
    this.typing.cancel(key);
    if (LabFileSync.isInWorkspace(document.uri)) void this.fileChangedOnDisk(document.uri);
    else {
      this.nextGeneration(key);
      this.workspace.remove(key);
    }
  }

  private async fileChangedOnDisk(uri: vscode.Uri): Promise<void> {
    if (isExcludedPath(uri.path)) return;
    const open = this.openDocument(uri);
    if (open) return this.documentChanged(open);
    const key = uri.toString();
    const generation = this.nextGeneration(key);
    let text: string;
    try {
      text = this.decoder.decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      if (this.generations.get(key) !== generation) return;
      if ((error as vscode.FileSystemError).code !== 'FileNotFound') this.log.warn(`Cannot read ${uri.fsPath}: ${(error as Error).message}`);
      this.workspace.remove(key);
      return;
    }
    if (this.generations.get(key) !== generation || this.openDocument(uri)) return;
    this.workspace.update(key, this.pathOf(uri), text);
  }

  /** A deleted file whose document is still open lives on in the editor until it is closed. */
  private fileDeleted(uri: vscode.Uri): void {
    if (this.openDocument(uri)) return;
    const key = uri.toString();
    this.nextGeneration(key);
    this.workspace.remove(key);
  }

  private pathOf(uri: vscode.Uri): string {
    return uri.scheme === 'file' ? uri.fsPath : uri.path;
  }

  dispose(): void {
    this.typing.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
  }
}
