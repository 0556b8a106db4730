// Lab scripts as tasks, without the editor: the task definition (`type: overlay-lab`, the lab
// file relative to its workspace folder, the script, optionally one host), the tasks a set of
// labs offers, and which lab file a definition written in tasks.json names.
//
// VS Code labels a provided task `<source>: <name>`: the source is the lab's name and the name
// the script's, so a script shows (and is bound to keys) as `demo: versions`.

import type { Lab } from '../lab/types';

export const TASK_TYPE = 'overlay-lab';

export interface ScriptTaskDefinition {
  type: typeof TASK_TYPE;
  /** The lab file, relative to the task's workspace folder. */
  lab: string;
  script: string;
  host?: string;
}

export function isScriptTaskDefinition(value: unknown): value is ScriptTaskDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const definition = value as Record<string, unknown>;
  return (
    definition.type === TASK_TYPE &&
    typeof definition.lab === 'string' &&
    definition.lab.trim() !== '' &&
    typeof definition.script === 'string' &&
    definition.script.trim() !== '' &&
    (definition.host === undefined || (typeof definition.host === 'string' && definition.host.trim() !== ''))
  );
}

/** `./labs\\demo.lab.yaml` → `labs/demo.lab.yaml`: how tasks.json may spell it, as it is compared. */
export function normalizeLabPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.trim().replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** A file's path relative to its folder (both URI paths, `/`-separated); undefined when outside it. */
export function relativeLabPath(folderPath: string, filePath: string): string | undefined {
  const folder = folderPath.replace(/\/+$/, '');
  if (!filePath.startsWith(`${folder}/`)) return undefined;
  return normalizeLabPath(filePath.slice(folder.length + 1));
}

/** The label VS Code shows (`<source>: <name>`), and what a keybinding's `args` names. */
export function taskLabel(labName: string, script: string, host?: string): string {
  return `${labName}: ${taskName(script, host)}`;
}

export function taskName(script: string, host?: string): string {
  return host ? `${script} on ${host}` : script;
}

/** A lab file of a workspace folder, as the task provider sees it. */
export interface TaskLab<F> {
  /** The lab file's key in the session's workspace. */
  key: string;
  /** The workspace folder it is in. */
  folder: F;
  /** Relative to that folder. */
  path: string;
  /** Absent when the file has errors: such a lab offers no tasks. */
  lab?: Lab;
}

export interface ScriptTaskSpec<F> {
  folder: F;
  definition: ScriptTaskDefinition;
  /** The task's source: the lab's name. */
  source: string;
  /** The task's name: the script's. */
  name: string;
  detail?: string;
}

/** One task per script of each valid lab, in the labs' order, then the scripts' order in the file. */
export function scriptTaskSpecs<F>(labs: readonly TaskLab<F>[]): ScriptTaskSpec<F>[] {
  return labs.flatMap(({ folder, path, lab }) =>
    (lab?.scripts ?? []).map((script) => ({
      folder,
      definition: { type: TASK_TYPE, lab: path, script: script.name },
      source: lab!.name,
      name: taskName(script.name),
      detail: script.description?.trim() || undefined,
    })),
  );
}

/** The lab file a definition names, among those of the task's folder. */
export function findTaskLab<F>(definition: ScriptTaskDefinition, labs: readonly TaskLab<F>[], sameFolder: (folder: F) => boolean): TaskLab<F> | undefined {
  const wanted = normalizeLabPath(definition.lab);
  return labs.find((candidate) => sameFolder(candidate.folder) && normalizeLabPath(candidate.path) === wanted);
}
