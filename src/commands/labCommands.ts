// Commands about lab files: refresh the list, open one, start a new one.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LabFileSync } from '../views/labFileSync';
import { newLabFileName } from '../views/labFileNames';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { NEW_LAB_TEMPLATE } from '../views/newLabTemplate';
import { labUriFromArgument, pickLab } from './pickLab';

export function registerLabCommands(session: LabSession, sync: LabFileSync, tree: LabsTreeProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('overlayLab.refresh', () =>
      vscode.window.withProgress({ location: { viewId: 'overlayLab.labs' } }, async () => {
        await sync.rescan();
        tree.refresh();
      }),
    ),
    vscode.commands.registerCommand('overlayLab.openLabFile', async (argument?: unknown) => {
      const uri = labUriFromArgument(argument) ?? (await pickLab(session, tree, { placeHolder: 'Open which lab file?', preferActiveEditor: false }))?.uri;
      if (uri) await vscode.window.showTextDocument(uri, { preview: true });
    }),
    vscode.commands.registerCommand('overlayLab.newLab', openNewLab),
  ];
}

/**
 * An untitled document named like a lab file in the first workspace folder, so that it is checked
 * as one while it is written and Save proposes that name.
 */
async function openNewLab(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const place = (name: string) => (folder ? vscode.Uri.joinPath(folder, name).with({ scheme: 'untitled' }) : vscode.Uri.from({ scheme: 'untitled', path: name }));
  const onDisk = new Set(folder ? (await safeReadDirectory(folder)).map(([name]) => name) : []);
  const openPaths = new Set(vscode.workspace.textDocuments.map((document) => document.uri.path));
  const name = newLabFileName((candidate) => onDisk.has(candidate) || openPaths.has(place(candidate).path));
  const document = await vscode.workspace.openTextDocument(place(name));
  const editor = await vscode.window.showTextDocument(document);
  if (document.getText() === '') await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), NEW_LAB_TEMPLATE));
}

async function safeReadDirectory(folder: vscode.Uri): Promise<[string, vscode.FileType][]> {
  try {
    return await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
}
