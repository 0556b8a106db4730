// Which lab a command is about: the tree item it was run on, a lab file URI, the lab in the
// active editor, or the user's choice.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LabSnapshot } from '../session/labWorkspace';
import { relativePath, type LabsTreeNode, type LabsTreeProvider } from '../views/labsTreeProvider';

export interface PickedLab {
  uri: vscode.Uri;
  snapshot: LabSnapshot;
}

export function isTreeNode(argument: unknown): argument is LabsTreeNode {
  return typeof argument === 'object' && argument !== null && 'kind' in argument && typeof (argument as { key?: unknown }).key === 'string';
}

/** The lab file a command's argument names: a tree node (of the lab or inside it) or a URI. */
export function labUriFromArgument(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  if (isTreeNode(argument)) return vscode.Uri.parse(argument.key);
  return undefined;
}

/** The argument's lab, else the active editor's, else one the user picks (none when there is no lab). */
export async function pickLab(
  session: LabSession,
  tree: LabsTreeProvider,
  options: { argument?: unknown; placeHolder: string; validOnly?: boolean; preferActiveEditor?: boolean },
): Promise<PickedLab | undefined> {
  const active = options.preferActiveEditor === false ? undefined : vscode.window.activeTextEditor?.document.uri;
  const named = labUriFromArgument(options.argument) ?? active;
  const snapshot = named && session.workspace.get(named.toString());
  if (named && snapshot) return { uri: named, snapshot };

  const labs = tree.labs().filter((lab) => !options.validOnly || lab.result.lab);
  if (labs.length === 0) {
    void vscode.window.showInformationMessage(options.validOnly ? 'Overlay Lab: no lab file without errors in this workspace.' : 'Overlay Lab: no lab files (*.lab.yaml) in this workspace.');
    return undefined;
  }
  if (labs.length === 1) return { uri: vscode.Uri.parse(labs[0].key), snapshot: labs[0] };
  const choice = await vscode.window.showQuickPick(
    labs.map((lab) => ({ label: lab.result.lab?.name ?? relativePath(lab), description: relativePath(lab), lab })),
    { placeHolder: options.placeHolder },
  );
  return choice && { uri: vscode.Uri.parse(choice.lab.key), snapshot: choice.lab };
}
