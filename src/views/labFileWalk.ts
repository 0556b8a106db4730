// Finds lab files by listing folders, for when the editor's search service cannot (code-server
// installed without its ripgrep binary finds nothing). Bounded, so a huge workspace costs little.

import * as vscode from 'vscode';
import { isLabFilePath } from './labFileNames';

const MAX_DEPTH = 6;
const MAX_FOLDERS = 2000;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'target', '.venv']);

export async function findLabFilesByWalking(roots: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
  const found: vscode.Uri[] = [];
  const queue = roots.map((uri) => ({ uri, depth: 0 }));
  let listed = 0;
  while (queue.length && listed < MAX_FOLDERS) {
    const { uri, depth } = queue.shift()!;
    listed++;
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(uri);
    } catch {
      continue; // unreadable folder: not ours to report
    }
    for (const [name, type] of entries) {
      const child = vscode.Uri.joinPath(uri, name);
      if (type & vscode.FileType.Directory) {
        if (depth < MAX_DEPTH && !name.startsWith('.') && !SKIPPED_FOLDERS.has(name)) queue.push({ uri: child, depth: depth + 1 });
      } else if (type & vscode.FileType.File && isLabFilePath(name)) {
        found.push(child);
      }
    }
  }
  return found;
}
