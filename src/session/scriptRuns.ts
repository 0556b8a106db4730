// A lab script's run as the editor starts it (Run Script, or a task): the lab as its file reads
// now, the lab's pool, the script's hosts (or the one asked for), with a pseudo-terminal on each
// host so the remote colours come through. Plain Node.

import { runLabScript } from '../scripts/runLabScript';
import type { LabSession } from './labSession';
import { scriptTargetsFor } from './scriptTargets';
import type { PrepareScriptRun, ScriptRun } from './scriptTerminal';

export interface ScriptRunRequest {
  /** The lab file's key in the session's workspace. */
  key: string;
  /** How to name the file when it cannot be found or read. */
  labPath: string;
  script: string;
  host?: string;
}

/** Worked out when the terminal opens (a task may run long after it was listed), so it is the latest lab. */
export function prepareScriptRun(session: LabSession, request: ScriptRunRequest): PrepareScriptRun {
  return (): ScriptRun => {
    const snapshot = session.workspace.get(request.key);
    if (!snapshot) throw new Error(`No lab file ${request.labPath} in this workspace.`);
    const lab = snapshot.result.lab;
    if (!lab) throw new Error(`${request.labPath} has errors (see the Problems panel); fix them before running its scripts.`);
    const targets = scriptTargetsFor(lab, request.script, request.host);
    if (!targets.ok) throw new Error(targets.message);
    const pool = session.pools.poolFor(request.key, lab);
    return {
      script: request.script,
      hosts: targets.hosts,
      start: (options) => runLabScript(pool, lab, request.script, { ...options, hosts: targets.hosts, pty: true }),
    };
  };
}
