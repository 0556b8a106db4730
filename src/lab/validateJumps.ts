// Jump hosts: a bare `jump` name must be a host of the lab (anything outside the lab is
// written `user@host` or `host:port`), and following jumps must end somewhere reachable:
// a cycle would have the SSH layer connect forever.

import { lineOf, type DiagnosticSink } from './diagnostics';
import { parseJump } from './names';
import { findHost } from './resolve';
import { didYouMean } from './suggest';
import type { Lab, LabHost } from './types';

export function validateJumps(lab: Lab, sink: DiagnosticSink): void {
  for (const host of lab.hosts) {
    const jump = host.ssh.jump;
    const at = host.sshRanges?.jump;
    if (jump === undefined || !at) continue;
    const syntax = parseJump(jump);
    if (syntax.kind !== 'name') continue; // external jumps are checked where read
    if (!findHost(lab, jump)) {
      const others = lab.hosts.filter((h) => h !== host).map((h) => h.name);
      sink.error(
        at,
        `jump ${jump} names no host of the lab${didYouMean(jump, others)}; for a machine outside the lab write user@${jump} or ${jump}:22`,
      );
      continue;
    }
    const cycle = jumpCycleFrom(lab, host);
    if (!cycle) continue;
    const inherited = lab.defaults.sshRanges?.jump === at;
    if (cycle.length === 2) {
      sink.error(
        at,
        inherited
          ? `${host.name} inherits jump ${jump} from defaults.ssh and would jump through itself; set jump on the hosts behind ${host.name} instead of in defaults.ssh`
          : `${host.name} jumps through itself; remove ssh.jump or name another host`,
      );
    } else {
      const via = inherited ? ` (jump inherited from defaults.ssh, ${lineOf(at)})` : '';
      sink.error(at, `jump cycle: ${cycle.join(' → ')}${via}; one of these hosts must be reachable without jumping through the others`);
    }
  }
}

/** The hosts from `start` back to `start` by `jump`, when `start` is on a cycle. */
function jumpCycleFrom(lab: Lab, start: LabHost): string[] | undefined {
  const path = [start.name];
  let current: LabHost | undefined = start;
  while (current?.ssh.jump !== undefined) {
    const next = findHost(lab, current.ssh.jump);
    if (!next) return undefined;
    path.push(next.name);
    if (next === start) return path;
    if (path.indexOf(next.name) < path.length - 1) return undefined; // a cycle that start only leads into
    current = next;
  }
  return undefined;
}
