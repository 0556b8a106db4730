// Commands on any item of the Labs tree that carries the data: Copy Address, Copy MAC, and
// Reveal in Lab File (open the file with the item's declaration selected).

import * as vscode from 'vscode';
import { toZeroBasedRange } from '../views/diagnosticsModel';
import type { TreeNodeModel } from '../views/liveTreeModel';
import { addressChoices, bareAddress } from './addressChoices';
import { isTreeNode } from './pickLab';

function modelOf(argument: unknown): { key: string; model: TreeNodeModel } | undefined {
  return isTreeNode(argument) && argument.kind === 'item' ? { key: argument.key, model: argument.model } : undefined;
}

async function copy(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied ${what} ${text}`, 3000);
}

export function registerNodeCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('overlayLab.copyAddress', async (argument?: unknown) => {
      const addresses = modelOf(argument)?.model.addresses ?? [];
      if (addresses.length <= 1) {
        if (addresses[0]) await copy(bareAddress(addresses[0]), 'address');
        return;
      }
      const choice = await vscode.window.showQuickPick(addressChoices(addresses), { placeHolder: 'Copy which address?' });
      if (choice) await copy(choice, 'address');
    }),
    vscode.commands.registerCommand('overlayLab.copyMac', async (argument?: unknown) => {
      const mac = modelOf(argument)?.model.mac;
      if (mac) await copy(mac, 'MAC address');
    }),
    vscode.commands.registerCommand('overlayLab.revealInLabFile', async (argument?: unknown) => {
      const node = modelOf(argument);
      if (!node?.model.range) return;
      const range = toZeroBasedRange(node.model.range);
      const selection = new vscode.Range(range.startLine, range.startCharacter, range.endLine, range.endCharacter);
      await vscode.window.showTextDocument(vscode.Uri.parse(node.key), { selection, preview: true });
    }),
  ];
}
