// Which hosts a run of a lab script targets: the script's own, or the one host asked for (from a
// host's item, or a task's `host`), or why it cannot run there.

import type { Lab } from '../lab/types';

export type ScriptTargets = { ok: true; hosts: string[] } | { ok: false; message: string };

/** The hosts a script runs on, narrowed to one when asked; or why it cannot run. */
export function scriptTargetsFor(lab: Lab, scriptName: string, host?: string): ScriptTargets {
  const script = lab.scripts.find((candidate) => candidate.name === scriptName);
  if (!script) {
    const names = lab.scripts.map((candidate) => candidate.name);
    return { ok: false, message: `The lab ${lab.name} has no script "${scriptName}"; ${names.length ? `its scripts are: ${names.join(', ')}.` : 'it has no scripts.'}` };
  }
  if (host === undefined) return { ok: true, hosts: [...script.hosts] };
  if (!lab.hosts.some((candidate) => candidate.name === host)) {
    return { ok: false, message: `The lab ${lab.name} has no host "${host}"; its hosts are: ${lab.hosts.map((candidate) => candidate.name).join(', ')}.` };
  }
  if (!script.hosts.includes(host)) return { ok: false, message: `Script ${scriptName} does not run on ${host}; it runs on: ${script.hosts.join(', ')}.` };
  return { ok: true, hosts: [host] };
}

/** The scripts that run on a host (all of them without one). */
export function scriptsFor(lab: Lab, host?: string): Lab['scripts'] {
  return host === undefined ? lab.scripts : lab.scripts.filter((script) => script.hosts.includes(host));
}
