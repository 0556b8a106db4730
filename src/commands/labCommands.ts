// Commands about lab files: refresh the list and the hosts' state, refresh one lab, open one,
// start a new one, and show what was read of a lab as JSON (for bug reports).

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LiveLabs } from '../session/liveLabs';
import type { RefreshManager } from '../session/refreshManager';
import type { LabFileSync } from '../views/labFileSync';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { newLab } from './newLabCommand';
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
    vscode.commands.registerCommand('overlayLab.newLab', newLab),
  ];
}
