// Lab scripts as tasks of type `overlay-lab`: one per script of each valid lab of the workspace
// (so they are in "Run Task" and can be bound to keys), and those written in tasks.json. Each
// runs in the same terminal as "Run Script" (a CustomExecution); the task's exit code is 0 when
// every host succeeded, 1 otherwise. scriptTaskModel.ts has the definitions and their matching.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import { prepareScriptRun } from '../session/scriptRuns';
import type { LabsTreeProvider } from './labsTreeProvider';
import { scriptPseudoterminal } from './scriptTerminal';
import { findTaskLab, isScriptTaskDefinition, relativeLabPath, scriptTaskSpecs, taskName, TASK_TYPE, type ScriptTaskDefinition, type TaskLab } from './scriptTaskModel';

export class ScriptTaskProvider implements vscode.TaskProvider {
  /** `ready`: the workspace's first scan for lab files (asking for tasks may be what activated us). */
  constructor(
    private readonly session: LabSession,
    private readonly tree: LabsTreeProvider,
    private readonly ready: Promise<unknown> = Promise.resolve(),
  ) {}

  static register(session: LabSession, tree: LabsTreeProvider, ready?: Promise<unknown>): vscode.Disposable {
    return vscode.tasks.registerTaskProvider(TASK_TYPE, new ScriptTaskProvider(session, tree, ready));
  }

  async provideTasks(): Promise<vscode.Task[]> {
    await this.ready;
    return scriptTaskSpecs(this.taskLabs()).map((spec) => this.task(spec.definition, spec.folder, spec.name, spec.source, spec.detail));
  }

  /** A task written in tasks.json: given its execution, named after its script (its `label` still wins). */
  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    const definition = task.definition;
    if (!isScriptTaskDefinition(definition)) return undefined;
    await this.ready;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const lab = findTaskLab(definition, this.taskLabs(), (candidate) => sameFolder(candidate, folder))?.lab;
    const script = lab?.scripts.find((candidate) => candidate.name === definition.script);
    return this.task(definition, folder, taskName(definition.script, definition.host), lab?.name ?? TASK_TYPE, script?.description);
  }

  private task(definition: ScriptTaskDefinition, folder: vscode.WorkspaceFolder, name: string, source: string, detail?: string): vscode.Task {
    // Worked out when the task runs (with `${…}` variables resolved), from the lab as it reads then.
    const execution = new vscode.CustomExecution(async (resolved) => {
      const current = isScriptTaskDefinition(resolved) ? resolved : definition;
      const found = findTaskLab(current, this.taskLabs(), (candidate) => sameFolder(candidate, folder));
      const key = found?.key ?? vscode.Uri.joinPath(folder.uri, current.lab).toString();
      const labPath = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${current.lab}` : current.lab;
      const prepare = prepareScriptRun(this.session, { key, labPath, script: current.script, host: current.host });
      return scriptPseudoterminal(prepare, { waitForKey: false });
    });
    const task = new vscode.Task(definition, folder, name, source, execution);
    task.detail = detail?.trim() || undefined;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, echo: false };
    return task;
  }

  /** The workspace's lab files with their folder and path in it (labs with errors included: they match, offer nothing). */
  private taskLabs(): TaskLab<vscode.WorkspaceFolder>[] {
    return this.tree.labs().flatMap((snapshot) => {
      const uri = vscode.Uri.parse(snapshot.key);
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const path = folder && relativeLabPath(folder.uri.path, uri.path);
      return folder && path ? [{ key: snapshot.key, folder, path, lab: snapshot.result.lab }] : [];
    });
  }
}

function sameFolder(a: vscode.WorkspaceFolder, b: vscode.WorkspaceFolder): boolean {
  return a.uri.toString() === b.uri.toString();
}
