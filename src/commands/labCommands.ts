// Commands about lab files: refresh the list and the hosts' state, refresh one lab, open one,
// start a new one, and show what was read of a lab as JSON (for bug reports).

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LiveLabs } from '../session/liveLabs';
import type { RefreshManager } from '../session/refreshManager';
import type { LabFileSync } from '../views/labFileSync';
import { newLabFileName } from '../views/labFileNames';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { NEW_LAB_TEMPLATE } from '../views/newLabTemplate';
import { labUriFromArgument, pickLab } from './pickLab';

export function registerLabCommands(session: LabSession, sync: LabFileSync, tree: LabsTreeProvider, live: LiveLabs, refresh: RefreshManager): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('overlayLab.refresh', () =>
      vscode.window.withProgress({ location: { viewId: 'overlayLab.labs' } }, async () => {
        await sync.rescan();
        tree.refresh();
        await refresh.refreshAll();
      }),
    ),
    vscode.commands.registerCommand('overlayLab.refreshLab', async (argument?: unknown) => {
      const picked = await pickLab(session, tree, { argument, placeHolder: 'Refresh which lab?', validOnly: true });
      if (!picked?.snapshot.result.lab) return;
      await vscode.window.withProgress({ location: { viewId: 'overlayLab.labs' } }, () => refresh.refreshLab(picked.snapshot.key));
    }),
    vscode.commands.registerCommand('overlayLab.showStateJson', async (argument?: unknown) => {
      const picked = await pickLab(session, tree, { argument, placeHolder: 'Show the state of which lab?', validOnly: true });
      if (!picked?.snapshot.result.lab) return;
      const key = picked.snapshot.key;
      // Never read yet: read it first, so that the document says something.
      if (live.get(key)?.readAt === undefined) {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Overlay Lab: reading ${picked.snapshot.result.lab.name}` }, () => refresh.refreshLab(key));
      }
      const state = live.get(key)?.state;
      if (!state) return;
      const document = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(state, null, 2)}\n` });
      await vscode.window.showTextDocument(document, { preview: false });
    }),
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
