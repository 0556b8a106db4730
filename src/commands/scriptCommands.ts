// Lab scripts from the editor: "Run Script" (a lab, then one of its scripts; from a host's item,
// one of the scripts that run there, on that host only), each run in a terminal of its own; and
// "Add Script from Template", which edits the lab file as the user would (undo works, nothing
// is saved behind their back) and shows the new script.

import * as vscode from 'vscode';
import { addScriptToLabText } from '../scripts/addScript';
import { SCRIPT_TEMPLATES } from '../scripts/templates';
import type { LabSession } from '../session/labSession';
import { prepareScriptRun } from '../session/scriptRuns';
import { scriptsFor } from '../session/scriptTargets';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { openScriptTerminal } from '../views/scriptTerminal';
import { hostFromArgument } from './hostCommands';
import { lineReplacement, scriptKeyRange, withLineEnds } from './labTextEdit';
import { pickLab } from './pickLab';

const ADD_SCRIPT = 'Add Script from Template…';

export function registerScriptCommands(session: LabSession, tree: LabsTreeProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('overlayLab.runScript', (argument?: unknown) => runScript(session, tree, argument)),
    vscode.commands.registerCommand('overlayLab.runScriptOnHost', (argument?: unknown) => runScript(session, tree, argument)),
    vscode.commands.registerCommand('overlayLab.addScript', (argument?: unknown) => addScript(session, tree, argument)),
  ];
}

async function runScript(session: LabSession, tree: LabsTreeProvider, argument: unknown): Promise<void> {
  const fromHost = hostFromArgument(session, argument);
  const picked = fromHost ? undefined : await pickLab(session, tree, { argument, placeHolder: 'Run a script of which lab?', validOnly: true });
  const key = fromHost?.key ?? picked?.snapshot.key;
  const lab = fromHost?.lab ?? picked?.snapshot.result.lab;
  if (!key) return;
  if (!lab) {
    void vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.showErrorMessage(`${labPath(key)} has errors (they are in the Problems panel); fix them before running its scripts.`);
    return;
  }
  const host = fromHost?.host;
  const scripts = scriptsFor(lab, host);
  if (scripts.length === 0) {
    const message = host ? `${lab.name}: no script runs on ${host}.` : `${lab.name} has no scripts yet.`;
    const answer = await vscode.window.showInformationMessage(`${message} Scripts are written under "scripts:" in the lab file, or added from a template.`, ADD_SCRIPT);
    if (answer === ADD_SCRIPT) await addScript(session, tree, vscode.Uri.parse(key));
    return;
  }
  const choice = await vscode.window.showQuickPick(
    scripts.map((script) => ({ label: script.name, description: script.description, detail: host ? undefined : `on ${script.hosts.join(', ')}`, script })),
    { placeHolder: host ? `Run which script on ${host}?` : `Run which script of ${lab.name}?`, matchOnDescription: true },
  );
  if (!choice) return;
  openScriptTerminal(choice.script.name, prepareScriptRun(session, { key, labPath: labPath(key), script: choice.script.name, host }));
}

function labPath(key: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(key), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

async function addScript(session: LabSession, tree: LabsTreeProvider, argument: unknown): Promise<void> {
  // The item's lab, else the active editor's lab file, else the user's choice.
  const picked = await pickLab(session, tree, { argument, placeHolder: 'Add a script to which lab?' });
  if (!picked) return;
  const template = await vscode.window.showQuickPick(
    SCRIPT_TEMPLATES.map((candidate) => ({ label: candidate.label, description: candidate.name, detail: candidate.description, template: candidate })),
    { placeHolder: 'Which script?', matchOnDetail: true },
  );
  if (!template) return;

  // A lab with errors has no model to list hosts from: its script runs on every host then.
  const lab = picked.snapshot.result.lab;
  let hosts: string[] | undefined;
  if (lab && lab.hosts.length > 1) {
    const chosen = await vscode.window.showQuickPick(
      lab.hosts.map((host) => ({ label: host.name, description: host.ssh.host })),
      { placeHolder: 'Run it on which hosts? (none picked: every host)', canPickMany: true },
    );
    if (!chosen) return;
    hosts = chosen.length && chosen.length < lab.hosts.length ? chosen.map((item) => item.label) : undefined;
  }

  const document = await vscode.workspace.openTextDocument(picked.uri);
  const before = document.getText();
  let added: { text: string; name: string };
  try {
    added = addScriptToLabText(before, template.template, hosts);
  } catch (error) {
    void vscode.window.showErrorMessage(`Overlay Lab: cannot add the script to ${labPath(picked.snapshot.key)}: ${(error as Error).message}`);
    return;
  }
  const after = withLineEnds(added.text, document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
  const replacement = lineReplacement(before, after);
  if (replacement) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(replacement.start), document.positionAt(replacement.end)), replacement.text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Overlay Lab: ${labPath(picked.snapshot.key)} could not be edited (is it read-only?).`);
      return;
    }
  }
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  const range = scriptKeyRange(document.getText(), added.name);
  if (range) {
    const selection = new vscode.Selection(document.positionAt(range.start), document.positionAt(range.end));
    editor.selection = selection;
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  vscode.window.setStatusBarMessage(`Added script ${added.name} to ${labPath(picked.snapshot.key)} (not saved yet)`, 5000);
}
