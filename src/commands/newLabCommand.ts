// "Overlay Lab: New Lab": a template, hosts from ~/.ssh/config for it, a name; then the lab file
// `<name>.lab.yaml` in the first workspace folder (an untitled document without one), opened.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { labNameProblem } from '../lab/names';
import { LAB_TEMPLATES, labTemplate, sshConfigHostAliases, templateHosts } from '../views/labTemplates';

async function sshConfigAliases(): Promise<string[]> {
  try {
    return sshConfigHostAliases(await readFile(join(homedir(), '.ssh', 'config'), 'utf8'));
  } catch {
    return [];
  }
}

/** Aliases for the template's hosts, in order; undefined when the user cancelled. */
async function pickHosts(hostNames: string[]): Promise<string[] | undefined> {
  const aliases = await sshConfigAliases();
  if (aliases.length === 0) return [];
  const picked = await vscode.window.showQuickPick(
    aliases.map((alias) => ({ label: alias })),
    {
      canPickMany: true,
      title: 'New Lab: hosts from ~/.ssh/config',
      placeHolder: `They fill ${hostNames.join(', ')} in order; those not filled keep placeholder addresses. Pick none for placeholders only.`,
      ignoreFocusOut: true,
    },
  );
  if (!picked) return undefined;
  if (picked.length > hostNames.length) {
    void vscode.window.showInformationMessage(`Overlay Lab: this template has ${hostNames.length} host${hostNames.length === 1 ? '' : 's'}; used ${picked.slice(0, hostNames.length).map((item) => item.label).join(', ')}.`);
  }
  return picked.slice(0, hostNames.length).map((item) => item.label);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export async function newLab(): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    LAB_TEMPLATES.map((choice) => ({ label: choice.label, detail: choice.detail, choice })),
    { title: 'New Lab: template', placeHolder: 'What should the new lab look like?', matchOnDetail: true, ignoreFocusOut: true },
  );
  if (!picked) return;
  const template = picked.choice;
  const hosts = await pickHosts(templateHosts(template.kind));
  if (!hosts) return;
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0];
  const folder = workspaceFolder?.uri;
  const name = await vscode.window.showInputBox({
    title: 'New Lab: name',
    prompt: folder ? 'The lab name; the file is <name>.lab.yaml in the first workspace folder' : 'The lab name',
    value: template.defaultName,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const problem = labNameProblem(value);
      return problem ? `The name ${problem}` : undefined;
    },
  });
  if (name === undefined) return;
  const text = labTemplate(template.kind, { name, hosts });
  const fileName = `${name}.lab.yaml`;

  if (!folder) {
    // Named like a lab file, so that it is checked as one and Save proposes that name.
    // One of that name already open with text in it stays as it is: this one is then unnamed.
    let document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: fileName }));
    if (document.getText() !== '') document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    if (document.getText() === '') await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), text));
    return;
  }
  const uri = vscode.Uri.joinPath(folder, fileName);
  if (await exists(uri)) {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(`${fileName} already exists in ${workspaceFolder?.name ?? 'the workspace folder'}. Replace it?`, { modal: true }, replace);
    if (answer !== replace) return;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(uri, { preview: false });
}
